#!/usr/bin/env bash
# Fail if a comment or document cites a section of docs/ that does not
# exist. Citations are written `docs/NAME.md §N` (more sections may follow:
# `docs/isa.md §5 and §10`); section N is the heading `## N. ...` of that
# file. The contract document outside the repository is never cited.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
while IFS= read -r hit; do
    where=${hit%%:docs/*}
    cite=docs/${hit#*:docs/}
    doc=${cite%% *}
    if [ ! -f "$doc" ]; then
        echo "$where: cites $doc, which does not exist" >&2
        status=1
        continue
    fi
    for n in $(grep -o '§[0-9]\+' <<<"$cite" | tr -d '§'); do
        if ! grep -q "^## $n\. " "$doc"; then
            echo "$where: cites $doc §$n, which has no section $n" >&2
            status=1
        fi
    done
done < <(git grep -n -o -E 'docs/[a-z_-]+\.md §[0-9]+((,| and| or) §[0-9]+)*' \
             -- ':!scripts/check-citations.sh' | sed -E 's/^([^:]+:[0-9]+):/\1:/')
if git grep -n -E 'machine\.md (section )?[0-9]' -- ':!scripts/check-citations.sh' >&2; then
    echo "cite docs/isa.md sections, not machine.md (not in this repository)" >&2
    status=1
fi
exit $status
