{{- define "part.name" -}}
{{ .Chart.Name }}-{{ .Values.port }}
{{- end }}
