#!/bin/sh
# Post-renderer: appends a resource without a file annotation (Helm names its file
# generated-by-postrender-N.yaml) and records its arguments in a comment.
cat
printf -- "---\n# args: %s\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: added-by-post-renderer\ndata:\n  from: plugin\n" "$*"
