{{- define "kv.fullname" -}}{{ .Release.Name }}-kv{{- end -}}
{{- define "kv.secretName" -}}{{ include "kv.fullname" . }}-auth{{- end -}}
