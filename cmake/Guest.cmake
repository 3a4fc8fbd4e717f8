# Cross-build helpers for guest code (filled in by the guest runtime work)
