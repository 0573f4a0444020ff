#!/bin/sh
# Post-renderer: passes the stream through, then adds a document with an octet that is not UTF-8.
cat
printf -- '---\nkind: ConfigMap\ndata:\n  x: "caf\351"\n'
