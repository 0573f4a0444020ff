#!/bin/sh
cat >/dev/null
echo "renderer refused the manifest" >&2
exit 3
