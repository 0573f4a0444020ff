#!/bin/sh
# Post-renderer: a document holding a control character go-yaml's reader refuses.
cat >/dev/null
printf 'kind: ConfigMap\ndata:\n  x: "a\001b"\n'
