package main

// renderObject follows Argo CD's RenderTemplateParams and its deeplyReplace walk over the parts of an
// Application that are free-form JSON (map[string]interface{}): with no parameters the template comes back
// untouched; otherwise every string is rendered with Replace, every map key too, and map entries whose
// value is nil are dropped. The typed fields of a real Application (omitempty, int64 fields, the added
// finalizer) are not reproduced: cases stay clear of them.

import (
	"bytes"
	"encoding/json"
	"text/template"
)

func renderObject(name string, object interface{}, params map[string]interface{}, options []string, funcs template.FuncMap) (string, error) {
	rendered := object
	if len(params) > 0 {
		var err error
		if rendered, err = deeplyReplace(name, object, params, options, funcs); err != nil {
			return "", err
		}
	}
	var buf bytes.Buffer
	encoder := json.NewEncoder(&buf)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(rendered); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func deeplyReplace(name string, value interface{}, params map[string]interface{}, options []string, funcs template.FuncMap) (interface{}, error) {
	switch typed := value.(type) {
	case string:
		return replace(name, typed, params, options, funcs)
	case []interface{}:
		out := make([]interface{}, len(typed))
		for i, item := range typed {
			rendered, err := deeplyReplace(name, item, params, options, funcs)
			if err != nil {
				return nil, err
			}
			out[i] = rendered
		}
		return out, nil
	case map[string]interface{}:
		out := make(map[string]interface{}, len(typed))
		for key, item := range typed {
			if item == nil {
				continue
			}
			rendered, err := deeplyReplace(name, item, params, options, funcs)
			if err != nil {
				return nil, err
			}
			renderedKey, err := replace(name, key, params, options, funcs)
			if err != nil {
				return nil, err
			}
			out[renderedKey] = rendered
		}
		return out, nil
	}
	return value, nil
}
