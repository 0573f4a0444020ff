{{- define "common.labels" -}}
app: {{ .Chart.Name }}
overridden: "yes"
{{- end -}}
