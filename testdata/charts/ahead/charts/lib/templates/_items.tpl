{{/* Many definitions, as library charts have: about 40 KB of template text. */}}
{{- define "lib.greeting" -}}
lib says {{ .Values.greeting }}
{{- end }}
{{- define "lib.item.0" -}}
{{- if .Values.greeting }}item 0 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 0 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.1" -}}
{{- if .Values.greeting }}item 1 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 1 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.2" -}}
{{- if .Values.greeting }}item 2 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 2 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.3" -}}
{{- if .Values.greeting }}item 3 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 3 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.4" -}}
{{- if .Values.greeting }}item 4 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 4 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.5" -}}
{{- if .Values.greeting }}item 5 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 5 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.6" -}}
{{- if .Values.greeting }}item 6 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 6 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.7" -}}
{{- if .Values.greeting }}item 7 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 7 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.8" -}}
{{- if .Values.greeting }}item 8 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 8 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.9" -}}
{{- if .Values.greeting }}item 9 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 9 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.10" -}}
{{- if .Values.greeting }}item 10 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 10 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.11" -}}
{{- if .Values.greeting }}item 11 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 11 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.12" -}}
{{- if .Values.greeting }}item 12 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 12 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.13" -}}
{{- if .Values.greeting }}item 13 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 13 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.14" -}}
{{- if .Values.greeting }}item 14 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 14 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.15" -}}
{{- if .Values.greeting }}item 15 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 15 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.16" -}}
{{- if .Values.greeting }}item 16 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 16 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.17" -}}
{{- if .Values.greeting }}item 17 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 17 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.18" -}}
{{- if .Values.greeting }}item 18 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 18 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.19" -}}
{{- if .Values.greeting }}item 19 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 19 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.20" -}}
{{- if .Values.greeting }}item 20 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 20 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.21" -}}
{{- if .Values.greeting }}item 21 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 21 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.22" -}}
{{- if .Values.greeting }}item 22 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 22 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.23" -}}
{{- if .Values.greeting }}item 23 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 23 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.24" -}}
{{- if .Values.greeting }}item 24 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 24 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.25" -}}
{{- if .Values.greeting }}item 25 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 25 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.26" -}}
{{- if .Values.greeting }}item 26 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 26 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.27" -}}
{{- if .Values.greeting }}item 27 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 27 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.28" -}}
{{- if .Values.greeting }}item 28 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 28 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.29" -}}
{{- if .Values.greeting }}item 29 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 29 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.30" -}}
{{- if .Values.greeting }}item 30 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 30 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.31" -}}
{{- if .Values.greeting }}item 31 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 31 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.32" -}}
{{- if .Values.greeting }}item 32 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 32 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.33" -}}
{{- if .Values.greeting }}item 33 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 33 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.34" -}}
{{- if .Values.greeting }}item 34 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 34 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.35" -}}
{{- if .Values.greeting }}item 35 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 35 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.36" -}}
{{- if .Values.greeting }}item 36 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 36 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.37" -}}
{{- if .Values.greeting }}item 37 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 37 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.38" -}}
{{- if .Values.greeting }}item 38 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 38 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.39" -}}
{{- if .Values.greeting }}item 39 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 39 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.40" -}}
{{- if .Values.greeting }}item 40 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 40 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.41" -}}
{{- if .Values.greeting }}item 41 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 41 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.42" -}}
{{- if .Values.greeting }}item 42 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 42 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.43" -}}
{{- if .Values.greeting }}item 43 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 43 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.44" -}}
{{- if .Values.greeting }}item 44 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 44 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.45" -}}
{{- if .Values.greeting }}item 45 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 45 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.46" -}}
{{- if .Values.greeting }}item 46 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 46 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.47" -}}
{{- if .Values.greeting }}item 47 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 47 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.48" -}}
{{- if .Values.greeting }}item 48 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 48 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.49" -}}
{{- if .Values.greeting }}item 49 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 49 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.50" -}}
{{- if .Values.greeting }}item 50 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 50 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.51" -}}
{{- if .Values.greeting }}item 51 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 51 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.52" -}}
{{- if .Values.greeting }}item 52 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 52 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.53" -}}
{{- if .Values.greeting }}item 53 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 53 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.54" -}}
{{- if .Values.greeting }}item 54 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 54 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.55" -}}
{{- if .Values.greeting }}item 55 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 55 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.56" -}}
{{- if .Values.greeting }}item 56 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 56 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.57" -}}
{{- if .Values.greeting }}item 57 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 57 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.58" -}}
{{- if .Values.greeting }}item 58 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 58 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.59" -}}
{{- if .Values.greeting }}item 59 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 59 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.60" -}}
{{- if .Values.greeting }}item 60 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 60 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.61" -}}
{{- if .Values.greeting }}item 61 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 61 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.62" -}}
{{- if .Values.greeting }}item 62 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 62 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.63" -}}
{{- if .Values.greeting }}item 63 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 63 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.64" -}}
{{- if .Values.greeting }}item 64 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 64 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.65" -}}
{{- if .Values.greeting }}item 65 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 65 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.66" -}}
{{- if .Values.greeting }}item 66 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 66 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.67" -}}
{{- if .Values.greeting }}item 67 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 67 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.68" -}}
{{- if .Values.greeting }}item 68 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 68 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.69" -}}
{{- if .Values.greeting }}item 69 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 69 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.70" -}}
{{- if .Values.greeting }}item 70 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 70 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.71" -}}
{{- if .Values.greeting }}item 71 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 71 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.72" -}}
{{- if .Values.greeting }}item 72 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 72 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.73" -}}
{{- if .Values.greeting }}item 73 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 73 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.74" -}}
{{- if .Values.greeting }}item 74 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 74 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.75" -}}
{{- if .Values.greeting }}item 75 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 75 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.76" -}}
{{- if .Values.greeting }}item 76 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 76 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.77" -}}
{{- if .Values.greeting }}item 77 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 77 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.78" -}}
{{- if .Values.greeting }}item 78 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 78 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.79" -}}
{{- if .Values.greeting }}item 79 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 79 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.80" -}}
{{- if .Values.greeting }}item 80 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 80 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.81" -}}
{{- if .Values.greeting }}item 81 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 81 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.82" -}}
{{- if .Values.greeting }}item 82 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 82 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.83" -}}
{{- if .Values.greeting }}item 83 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 83 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.84" -}}
{{- if .Values.greeting }}item 84 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 84 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.85" -}}
{{- if .Values.greeting }}item 85 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 85 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.86" -}}
{{- if .Values.greeting }}item 86 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 86 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.87" -}}
{{- if .Values.greeting }}item 87 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 87 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.88" -}}
{{- if .Values.greeting }}item 88 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 88 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.89" -}}
{{- if .Values.greeting }}item 89 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 89 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.90" -}}
{{- if .Values.greeting }}item 90 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 90 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.91" -}}
{{- if .Values.greeting }}item 91 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 91 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.92" -}}
{{- if .Values.greeting }}item 92 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 92 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.93" -}}
{{- if .Values.greeting }}item 93 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 93 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.94" -}}
{{- if .Values.greeting }}item 94 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 94 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.95" -}}
{{- if .Values.greeting }}item 95 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 95 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.96" -}}
{{- if .Values.greeting }}item 96 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 96 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.97" -}}
{{- if .Values.greeting }}item 97 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 97 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.98" -}}
{{- if .Values.greeting }}item 98 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 98 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.99" -}}
{{- if .Values.greeting }}item 99 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 99 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.100" -}}
{{- if .Values.greeting }}item 100 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 100 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.101" -}}
{{- if .Values.greeting }}item 101 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 101 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.102" -}}
{{- if .Values.greeting }}item 102 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 102 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.103" -}}
{{- if .Values.greeting }}item 103 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 103 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.104" -}}
{{- if .Values.greeting }}item 104 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 104 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.105" -}}
{{- if .Values.greeting }}item 105 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 105 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.106" -}}
{{- if .Values.greeting }}item 106 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 106 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.107" -}}
{{- if .Values.greeting }}item 107 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 107 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.108" -}}
{{- if .Values.greeting }}item 108 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 108 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.109" -}}
{{- if .Values.greeting }}item 109 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 109 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.110" -}}
{{- if .Values.greeting }}item 110 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 110 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.111" -}}
{{- if .Values.greeting }}item 111 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 111 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.112" -}}
{{- if .Values.greeting }}item 112 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 112 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.113" -}}
{{- if .Values.greeting }}item 113 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 113 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.114" -}}
{{- if .Values.greeting }}item 114 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 114 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.115" -}}
{{- if .Values.greeting }}item 115 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 115 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.116" -}}
{{- if .Values.greeting }}item 116 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 116 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.117" -}}
{{- if .Values.greeting }}item 117 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 117 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.118" -}}
{{- if .Values.greeting }}item 118 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 118 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.119" -}}
{{- if .Values.greeting }}item 119 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 119 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.120" -}}
{{- if .Values.greeting }}item 120 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 120 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.121" -}}
{{- if .Values.greeting }}item 121 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 121 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.122" -}}
{{- if .Values.greeting }}item 122 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 122 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.123" -}}
{{- if .Values.greeting }}item 123 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 123 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.124" -}}
{{- if .Values.greeting }}item 124 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 124 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.125" -}}
{{- if .Values.greeting }}item 125 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 125 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.126" -}}
{{- if .Values.greeting }}item 126 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 126 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.127" -}}
{{- if .Values.greeting }}item 127 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 127 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.128" -}}
{{- if .Values.greeting }}item 128 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 128 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.129" -}}
{{- if .Values.greeting }}item 129 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 129 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.130" -}}
{{- if .Values.greeting }}item 130 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 130 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.131" -}}
{{- if .Values.greeting }}item 131 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 131 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.132" -}}
{{- if .Values.greeting }}item 132 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 132 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.133" -}}
{{- if .Values.greeting }}item 133 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 133 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.134" -}}
{{- if .Values.greeting }}item 134 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 134 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.135" -}}
{{- if .Values.greeting }}item 135 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 135 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.136" -}}
{{- if .Values.greeting }}item 136 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 136 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.137" -}}
{{- if .Values.greeting }}item 137 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 137 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.138" -}}
{{- if .Values.greeting }}item 138 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 138 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.139" -}}
{{- if .Values.greeting }}item 139 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 139 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.140" -}}
{{- if .Values.greeting }}item 140 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 140 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.141" -}}
{{- if .Values.greeting }}item 141 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 141 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.142" -}}
{{- if .Values.greeting }}item 142 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 142 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.143" -}}
{{- if .Values.greeting }}item 143 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 143 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.144" -}}
{{- if .Values.greeting }}item 144 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 144 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.145" -}}
{{- if .Values.greeting }}item 145 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 145 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.146" -}}
{{- if .Values.greeting }}item 146 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 146 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.147" -}}
{{- if .Values.greeting }}item 147 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 147 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.148" -}}
{{- if .Values.greeting }}item 148 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 148 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.149" -}}
{{- if .Values.greeting }}item 149 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 149 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.150" -}}
{{- if .Values.greeting }}item 150 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 150 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.151" -}}
{{- if .Values.greeting }}item 151 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 151 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.152" -}}
{{- if .Values.greeting }}item 152 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 152 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.153" -}}
{{- if .Values.greeting }}item 153 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 153 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.154" -}}
{{- if .Values.greeting }}item 154 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 154 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.155" -}}
{{- if .Values.greeting }}item 155 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 155 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.156" -}}
{{- if .Values.greeting }}item 156 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 156 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.157" -}}
{{- if .Values.greeting }}item 157 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 157 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.158" -}}
{{- if .Values.greeting }}item 158 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 158 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.159" -}}
{{- if .Values.greeting }}item 159 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 159 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.160" -}}
{{- if .Values.greeting }}item 160 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 160 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.161" -}}
{{- if .Values.greeting }}item 161 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 161 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.162" -}}
{{- if .Values.greeting }}item 162 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 162 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.163" -}}
{{- if .Values.greeting }}item 163 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 163 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.164" -}}
{{- if .Values.greeting }}item 164 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 164 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.165" -}}
{{- if .Values.greeting }}item 165 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 165 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.166" -}}
{{- if .Values.greeting }}item 166 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 166 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.167" -}}
{{- if .Values.greeting }}item 167 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 167 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.168" -}}
{{- if .Values.greeting }}item 168 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 168 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.169" -}}
{{- if .Values.greeting }}item 169 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 169 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.170" -}}
{{- if .Values.greeting }}item 170 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 170 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.171" -}}
{{- if .Values.greeting }}item 171 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 171 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.172" -}}
{{- if .Values.greeting }}item 172 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 172 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.173" -}}
{{- if .Values.greeting }}item 173 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 173 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.174" -}}
{{- if .Values.greeting }}item 174 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 174 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.175" -}}
{{- if .Values.greeting }}item 175 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 175 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.176" -}}
{{- if .Values.greeting }}item 176 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 176 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.177" -}}
{{- if .Values.greeting }}item 177 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 177 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.178" -}}
{{- if .Values.greeting }}item 178 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 178 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.179" -}}
{{- if .Values.greeting }}item 179 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 179 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.180" -}}
{{- if .Values.greeting }}item 180 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 180 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.181" -}}
{{- if .Values.greeting }}item 181 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 181 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.182" -}}
{{- if .Values.greeting }}item 182 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 182 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.183" -}}
{{- if .Values.greeting }}item 183 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 183 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.184" -}}
{{- if .Values.greeting }}item 184 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 184 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.185" -}}
{{- if .Values.greeting }}item 185 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 185 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.186" -}}
{{- if .Values.greeting }}item 186 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 186 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.187" -}}
{{- if .Values.greeting }}item 187 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 187 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.188" -}}
{{- if .Values.greeting }}item 188 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 188 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.189" -}}
{{- if .Values.greeting }}item 189 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 189 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.190" -}}
{{- if .Values.greeting }}item 190 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 190 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.191" -}}
{{- if .Values.greeting }}item 191 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 191 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.192" -}}
{{- if .Values.greeting }}item 192 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 192 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.193" -}}
{{- if .Values.greeting }}item 193 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 193 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.194" -}}
{{- if .Values.greeting }}item 194 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 194 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.195" -}}
{{- if .Values.greeting }}item 195 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 195 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.196" -}}
{{- if .Values.greeting }}item 196 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 196 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.197" -}}
{{- if .Values.greeting }}item 197 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 197 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.198" -}}
{{- if .Values.greeting }}item 198 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 198 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.199" -}}
{{- if .Values.greeting }}item 199 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 199 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.200" -}}
{{- if .Values.greeting }}item 200 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 200 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.201" -}}
{{- if .Values.greeting }}item 201 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 201 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.202" -}}
{{- if .Values.greeting }}item 202 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 202 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.203" -}}
{{- if .Values.greeting }}item 203 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 203 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.204" -}}
{{- if .Values.greeting }}item 204 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 204 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.205" -}}
{{- if .Values.greeting }}item 205 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 205 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.206" -}}
{{- if .Values.greeting }}item 206 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 206 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.207" -}}
{{- if .Values.greeting }}item 207 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 207 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.208" -}}
{{- if .Values.greeting }}item 208 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 208 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.209" -}}
{{- if .Values.greeting }}item 209 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 209 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.210" -}}
{{- if .Values.greeting }}item 210 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 210 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.211" -}}
{{- if .Values.greeting }}item 211 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 211 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.212" -}}
{{- if .Values.greeting }}item 212 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 212 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.213" -}}
{{- if .Values.greeting }}item 213 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 213 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.214" -}}
{{- if .Values.greeting }}item 214 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 214 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.215" -}}
{{- if .Values.greeting }}item 215 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 215 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.216" -}}
{{- if .Values.greeting }}item 216 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 216 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.217" -}}
{{- if .Values.greeting }}item 217 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 217 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.218" -}}
{{- if .Values.greeting }}item 218 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 218 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.219" -}}
{{- if .Values.greeting }}item 219 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 219 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.220" -}}
{{- if .Values.greeting }}item 220 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 220 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.221" -}}
{{- if .Values.greeting }}item 221 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 221 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.222" -}}
{{- if .Values.greeting }}item 222 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 222 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.223" -}}
{{- if .Values.greeting }}item 223 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 223 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.224" -}}
{{- if .Values.greeting }}item 224 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 224 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.225" -}}
{{- if .Values.greeting }}item 225 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 225 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.226" -}}
{{- if .Values.greeting }}item 226 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 226 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.227" -}}
{{- if .Values.greeting }}item 227 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 227 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.228" -}}
{{- if .Values.greeting }}item 228 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 228 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.229" -}}
{{- if .Values.greeting }}item 229 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 229 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.230" -}}
{{- if .Values.greeting }}item 230 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 230 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.231" -}}
{{- if .Values.greeting }}item 231 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 231 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.232" -}}
{{- if .Values.greeting }}item 232 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 232 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.233" -}}
{{- if .Values.greeting }}item 233 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 233 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.234" -}}
{{- if .Values.greeting }}item 234 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 234 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.235" -}}
{{- if .Values.greeting }}item 235 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 235 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.236" -}}
{{- if .Values.greeting }}item 236 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 236 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.237" -}}
{{- if .Values.greeting }}item 237 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 237 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.238" -}}
{{- if .Values.greeting }}item 238 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 238 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.239" -}}
{{- if .Values.greeting }}item 239 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 239 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.240" -}}
{{- if .Values.greeting }}item 240 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 240 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.241" -}}
{{- if .Values.greeting }}item 241 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 241 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.242" -}}
{{- if .Values.greeting }}item 242 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 242 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.243" -}}
{{- if .Values.greeting }}item 243 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 243 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.244" -}}
{{- if .Values.greeting }}item 244 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 244 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.245" -}}
{{- if .Values.greeting }}item 245 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 245 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.246" -}}
{{- if .Values.greeting }}item 246 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 246 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.247" -}}
{{- if .Values.greeting }}item 247 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 247 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.248" -}}
{{- if .Values.greeting }}item 248 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 248 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.249" -}}
{{- if .Values.greeting }}item 249 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 249 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.250" -}}
{{- if .Values.greeting }}item 250 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 250 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.251" -}}
{{- if .Values.greeting }}item 251 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 251 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.252" -}}
{{- if .Values.greeting }}item 252 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 252 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.253" -}}
{{- if .Values.greeting }}item 253 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 253 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.254" -}}
{{- if .Values.greeting }}item 254 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 254 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.255" -}}
{{- if .Values.greeting }}item 255 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 255 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.256" -}}
{{- if .Values.greeting }}item 256 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 256 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.257" -}}
{{- if .Values.greeting }}item 257 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 257 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.258" -}}
{{- if .Values.greeting }}item 258 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 258 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.259" -}}
{{- if .Values.greeting }}item 259 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 259 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.260" -}}
{{- if .Values.greeting }}item 260 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 260 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.261" -}}
{{- if .Values.greeting }}item 261 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 261 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.262" -}}
{{- if .Values.greeting }}item 262 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 262 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.263" -}}
{{- if .Values.greeting }}item 263 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 263 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.264" -}}
{{- if .Values.greeting }}item 264 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 264 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.265" -}}
{{- if .Values.greeting }}item 265 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 265 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.266" -}}
{{- if .Values.greeting }}item 266 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 266 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.267" -}}
{{- if .Values.greeting }}item 267 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 267 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.268" -}}
{{- if .Values.greeting }}item 268 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 268 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.269" -}}
{{- if .Values.greeting }}item 269 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 269 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.270" -}}
{{- if .Values.greeting }}item 270 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 270 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.271" -}}
{{- if .Values.greeting }}item 271 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 271 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.272" -}}
{{- if .Values.greeting }}item 272 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 272 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.273" -}}
{{- if .Values.greeting }}item 273 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 273 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.274" -}}
{{- if .Values.greeting }}item 274 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 274 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.275" -}}
{{- if .Values.greeting }}item 275 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 275 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.276" -}}
{{- if .Values.greeting }}item 276 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 276 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.277" -}}
{{- if .Values.greeting }}item 277 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 277 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.278" -}}
{{- if .Values.greeting }}item 278 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 278 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.279" -}}
{{- if .Values.greeting }}item 279 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 279 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.280" -}}
{{- if .Values.greeting }}item 280 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 280 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.281" -}}
{{- if .Values.greeting }}item 281 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 281 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.282" -}}
{{- if .Values.greeting }}item 282 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 282 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.283" -}}
{{- if .Values.greeting }}item 283 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 283 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.284" -}}
{{- if .Values.greeting }}item 284 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 284 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.285" -}}
{{- if .Values.greeting }}item 285 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 285 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.286" -}}
{{- if .Values.greeting }}item 286 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 286 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.287" -}}
{{- if .Values.greeting }}item 287 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 287 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.288" -}}
{{- if .Values.greeting }}item 288 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 288 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.289" -}}
{{- if .Values.greeting }}item 289 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 289 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.290" -}}
{{- if .Values.greeting }}item 290 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 290 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.291" -}}
{{- if .Values.greeting }}item 291 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 291 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.292" -}}
{{- if .Values.greeting }}item 292 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 292 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.293" -}}
{{- if .Values.greeting }}item 293 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 293 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.294" -}}
{{- if .Values.greeting }}item 294 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 294 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.295" -}}
{{- if .Values.greeting }}item 295 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 295 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.296" -}}
{{- if .Values.greeting }}item 296 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 296 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.297" -}}
{{- if .Values.greeting }}item 297 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 297 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.298" -}}
{{- if .Values.greeting }}item 298 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 298 | upper }}{{ else }}none{{ end }}
{{- end }}
{{- define "lib.item.299" -}}
{{- if .Values.greeting }}item 299 of {{ .Chart.Name }}: {{ printf "%s-%d" .Values.greeting 299 | upper }}{{ else }}none{{ end }}
{{- end }}
