{{- define "tplchart.render" -}}
{{- if typeIs "string" .value }}
{{- tpl .value .context }}
{{- else }}
{{- tpl (.value | toYaml) .context }}
{{- end }}
{{- end -}}
{{- define "tplchart.greeting" -}}hello from {{ .Chart.Name }}{{- end -}}
