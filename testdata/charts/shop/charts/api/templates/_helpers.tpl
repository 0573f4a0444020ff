{{- define "api.image" -}}
{{ .Values.global.imageRegistry }}/{{ .Values.image.name }}:{{ .Values.image.tag }}
{{- end -}}
{{- define "shop.labels" -}}
this definition is overridden by the parent's
{{- end -}}
