#!/bin/sh
# Post-renderer: drops the file annotations, so every document is renamed.
grep -v postrenderer.helm.sh/postrender-filename
