#!/bin/sh
set -e
echo "starting {{ .Release.Name }}"
exec "$@"
