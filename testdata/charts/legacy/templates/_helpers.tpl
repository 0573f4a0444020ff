{{- define "legacy.fullname" -}}
{{ .Release.Name }}-{{ .Chart.Name }}
{{- end -}}
