#!/bin/sh
# Writes the two synthetic charts whose Helm outputs are goflate's large
# fixtures (see README.md) into DIR: pkg-multiblock (a package spanning
# several deflate blocks: varied YAML, near-random text, a long run) and
# rel-large (a release record over 64 KiB). Deterministic: same bytes on
# every run, so the fixtures can be re-made with the commands in README.md.
set -eu
dir=${1:?usage: make-charts.sh DIR}
export LC_ALL=C

# pkg-multiblock
c=$dir/pkg-multiblock
mkdir -p "$c/templates" "$c/files"
printf 'apiVersion: v2\nname: pkg-multiblock\nversion: 0.1.0\ndescription: goflate fixture spanning several deflate blocks\n' > "$c/Chart.yaml"
printf 'replicas: 1\nimage: nginx\n' > "$c/values.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  image: {{ .Values.image }}\n' > "$c/templates/configmap.yaml"
# Varied YAML from a linear congruential generator.
awk 'BEGIN { x = 12345; for (i = 1; i <= 1000; i++) {
  x = (x * 1103515245 + 12345) % 2147483648; a = x % 97; b = int(x / 97) % 13
  printf "- name: item-%d\n  image: registry.example.com/team-%d/app-%d:%d.%d.%d\n  replicas: %d\n  port: %d\n", i, b, a, i % 3, a % 11, b % 7, i % 5, 8000 + a
} }' > "$c/files/items.yaml"
# Near-random text (64-symbol alphabet): little for LZ77 to find.
awk 'BEGIN { s = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"; x = 777
  for (l = 0; l < 160; l++) { line = ""; for (k = 0; k < 63; k++) { x = (x * 1103515245 + 12345) % 2147483648; line = line substr(s, int(x / 65536) % 64 + 1, 1) } print line } }' > "$c/files/noise.txt"
# A 100000-byte run: matches longer than 258 bytes.
awk 'BEGIN { for (i = 0; i < 1000; i++) printf "%0100d", 0 }' > "$c/files/zeros.txt"

# rel-large
c=$dir/rel-large
mkdir -p "$c/templates"
printf 'apiVersion: v2\nname: rel-large\nversion: 0.1.0\ndescription: goflate fixture whose release record exceeds 64 KiB\n' > "$c/Chart.yaml"
awk 'BEGIN { x = 4242; print "entries:"; for (i = 1; i <= 1200; i++) {
  x = (x * 1103515245 + 12345) % 2147483648
  printf "  key-%04d: value-%d-%s\n", i, x % 100000, (x % 3 == 0 ? "alpha" : (x % 3 == 1 ? "beta" : "gamma"))
} }' > "$c/values.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n{{- range $k, $v := .Values.entries }}\n  {{ $k }}: {{ $v | quote }}\n{{- end }}\n' > "$c/templates/configmap.yaml"
