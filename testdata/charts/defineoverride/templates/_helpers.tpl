{{- define "shared.greeting" -}}hello from parent{{- end -}}
