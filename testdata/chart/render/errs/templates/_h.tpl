{{- define "outer" }}{{ include "inner" . }}{{ end }}
{{- define "inner" }}{{ .Values.nope.deeper }}{{ end }}
