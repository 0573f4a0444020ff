{{- define "tpl.inc" -}}included-{{ .Values.appName }}{{- end -}}
