#!/bin/sh
# Post-renderer: hands the merged stream back unchanged.
cat
