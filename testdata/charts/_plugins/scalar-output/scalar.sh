#!/bin/sh
# Post-renderer: prints a document that is not a mapping.
cat >/dev/null
printf -- "- a\n- b\n"
