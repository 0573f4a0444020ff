#!/bin/sh
# Post-renderer: replaces the stream with one List; its items carry no file names but one.
cat >/dev/null
printf 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: one\n    annotations:\n      postrenderer.helm.sh/postrender-filename: templates/one.yaml\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: two\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: three\n'
