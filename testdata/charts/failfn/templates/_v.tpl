{{- define "failfn.validate" -}}{{- if not (has .Values.mode (list "a" "b")) -}}{{- fail (printf "mode %q is not one of a, b" .Values.mode) -}}{{- end -}}{{- end -}}
