{{- define "postrender.labels" -}}
app: {{ .Chart.Name }}
release: {{ .Release.Name }}
{{- end }}
