#!/bin/sh
# Post-renderer: prints the stream twice; both copies go back to their files.
input=$(cat)
printf "%s\n---\n%s\n" "$input" "$input"
