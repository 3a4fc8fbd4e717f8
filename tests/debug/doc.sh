#!/bin/bash
# doc.sh: the sessions shown in a document are what lde debug prints.
#
#   doc.sh LDE DOC.md            check every session, exit 0/1
#   doc.sh --update LDE DOC.md   rewrite the sessions from real runs
#
# A session starts with a code block whose first line is the command,
# "$ lde debug ARGS..."; the blocks after it, up to the next "## "
# heading, continue it (prose may come between them). Its commands are its
# "(lde) COMMAND" lines: they are fed to `lde debug ARGS` on stdin (the
# pipe mode echoes each as "(lde) COMMAND"), and the blocks, put end to
# end, must equal the transcript, from its first "(lde) " line if the
# session's first line is a command, from its first line otherwise.
# Blocks without such a first line (the prompt of a terminal, say) are
# not sessions and are left alone.
set -u
update=0
if [ "${1:-}" = "--update" ]; then
    update=1
    shift
fi
lde=$(realpath "$1")
doc=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Split the document: for session k, $tmp/k.args (its arguments),
# $tmp/k.doc (its lines, blocks end to end) and $tmp/k.sizes (the number
# of lines of each of its blocks, in order).
awk -v dir="$tmp" '
    function close_session() { if (k > 0) { close(dir "/" k ".doc") } }
    /^## / && !code { insession = 0 }
    /^```/ {
        if (!code) { code = 1; first = 1; n = 0; next }
        code = 0
        if (inblock) { print n > (dir "/" k ".sizes"); inblock = 0 }
        next
    }
    code && first {
        first = 0
        if ($0 ~ /^\$ lde debug/) {
            close_session()
            k++
            insession = 1
            args = $0
            sub(/^\$ lde debug ?/, "", args)
            print args > (dir "/" k ".args")
            printf "" > (dir "/" k ".doc")
            inblock = 1
            next
        }
        if (insession) inblock = 1
    }
    code && inblock { print > (dir "/" k ".doc"); n++ }
    END { print k + 0 > (dir "/count") }
' "$doc"

count=$(cat "$tmp/count")
if [ "$count" -eq 0 ]; then
    echo "FAIL: $doc shows no session (\$ lde debug ...)"
    exit 1
fi

status=0
for k in $(seq "$count"); do
    args=$(cat "$tmp/$k.args")
    sed -n 's/^(lde) //p' "$tmp/$k.doc" > "$tmp/$k.cmd"
    # shellcheck disable=SC2086  # ARGS is a word list on purpose
    "$lde" debug $args < "$tmp/$k.cmd" > "$tmp/$k.full" 2>&1
    if head -n 1 "$tmp/$k.doc" | grep -q '^(lde) '; then
        sed -n '/^(lde) /,$p' "$tmp/$k.full" > "$tmp/$k.out"
    else
        cp "$tmp/$k.full" "$tmp/$k.out"
    fi
    if [ $update -eq 1 ]; then
        cp "$tmp/$k.out" "$tmp/$k.new"
        continue
    fi
    if ! diff -u "$tmp/$k.doc" "$tmp/$k.out" > "$tmp/$k.diff"; then
        echo "FAIL: $doc: the session '\$ lde debug $args' differs from a real run:"
        cat "$tmp/$k.diff"
        status=1
    fi
done
[ $update -eq 0 ] && exit $status

# --update: cut each session's real transcript where the doc's blocks
# begin (at their first lines), and put each piece in place of its block.
for k in $(seq "$count"); do
    b=0
    at=1
    while read -r size; do
        b=$((b + 1))
        first=$(sed -n "${at}p" "$tmp/$k.doc")
        at=$((at + size))
        next=$(sed -n "${at}p" "$tmp/$k.doc")
        echo "$first" > "$tmp/$k.$b.first"
        echo "$next" > "$tmp/$k.$b.next"
    done < "$tmp/$k.sizes"
    echo "$b" > "$tmp/$k.blocks"
done
awk -v dir="$tmp" '
    function readline1(path,   l) { l = ""; getline l < path; close(path); return l }
    # Session k, block b: the transcript from where the previous block
    # stopped up to the line that begins block b + 1.
    function emit(k, b,   nextfirst, last, line) {
        if (b == 1) { pos = 1; nnew = 0
            while ((getline line < (dir "/" k ".new")) > 0) new[++nnew] = line
            close(dir "/" k ".new") }
        last = b == readline1(dir "/" k ".blocks") + 0
        nextfirst = readline1(dir "/" k "." b ".next")
        for (; pos <= nnew; pos++) {
            if (!last && pos > 1 && new[pos] == nextfirst) break
            print new[pos]
        }
    }
    /^## / && !code { insession = 0 }
    /^```/ {
        if (!code) { code = 1; first = 1; print; next }
        code = 0; skipping = 0; print; next
    }
    code && first {
        first = 0
        if ($0 ~ /^\$ lde debug/) {
            k++; b = 1; insession = 1; print; emit(k, b); skipping = 1; next
        }
        if (insession) { b++; emit(k, b); skipping = 1; next }
    }
    skipping { next }
    { print }
' "$doc" > "$tmp/doc.new"
cp "$tmp/doc.new" "$doc"
echo "updated $doc ($count sessions)"
