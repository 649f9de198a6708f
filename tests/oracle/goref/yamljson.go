package main

// sigs.k8s.io/yaml, which Argo CD's toYaml, fromYaml and fromYamlArray call, is not packaged by Debian
// bookworm. This file reproduces the steps of its Marshal and Unmarshal on the packaged go-yaml v2
// (gopkg.in/yaml.v2, which sigs.k8s.io/yaml itself wraps, as a fork with the same behaviour):
//
//	Marshal:   json.Marshal, then JSONToYAML (go-yaml v2 reads the JSON, go-yaml v2 writes YAML)
//	Unmarshal: go-yaml v2 reads the YAML into interface{}, map keys become strings (ints, floats with
//	           'g' formatting at 32 bits, bools), json.Marshal, then a json.Decoder decodes into the target
//
// with sigs.k8s.io/yaml's error wrapping. The targets here (map[string]interface{} and []interface{}) never
// make sigs.k8s.io/yaml turn a number into a string, so that branch is not reproduced.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"

	yaml "gopkg.in/yaml.v2"
)

func yamlMarshal(o interface{}) ([]byte, error) {
	j, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("error marshaling into JSON: %v", err)
	}
	var jsonObj interface{}
	// go-yaml picks int or float for each number where encoding/json would make every number a float64.
	if err := yaml.Unmarshal(j, &jsonObj); err != nil {
		return nil, fmt.Errorf("error converting JSON to YAML: %v", err)
	}
	y, err := yaml.Marshal(jsonObj)
	if err != nil {
		return nil, fmt.Errorf("error converting JSON to YAML: %v", err)
	}
	return y, nil
}

func yamlUnmarshal(y []byte, o interface{}) error {
	var yamlObj interface{}
	if err := yaml.Unmarshal(y, &yamlObj); err != nil {
		return fmt.Errorf("error converting YAML to JSON: %v", err)
	}
	jsonObj, err := jsonable(yamlObj)
	if err != nil {
		return fmt.Errorf("error converting YAML to JSON: %v", err)
	}
	j, err := json.Marshal(jsonObj)
	if err != nil {
		return fmt.Errorf("error converting YAML to JSON: %v", err)
	}
	decoder := json.NewDecoder(bytes.NewReader(j))
	if err := decoder.Decode(&o); err != nil {
		return fmt.Errorf("error unmarshaling JSON: while decoding JSON: %v", err)
	}
	return nil
}

func jsonable(yamlObj interface{}) (interface{}, error) {
	switch typed := yamlObj.(type) {
	case map[interface{}]interface{}:
		strMap := make(map[string]interface{}, len(typed))
		for k, v := range typed {
			var key string
			switch typedKey := k.(type) {
			case string:
				key = typedKey
			case int:
				key = strconv.Itoa(typedKey)
			case int64:
				key = strconv.FormatInt(typedKey, 10)
			case float64:
				key = strconv.FormatFloat(typedKey, 'g', -1, 32)
				switch key {
				case "+Inf":
					key = ".inf"
				case "-Inf":
					key = "-.inf"
				case "NaN":
					key = ".nan"
				}
			case bool:
				key = strconv.FormatBool(typedKey)
			default:
				return nil, fmt.Errorf("Unsupported map key of type: %s, key: %+#v, value: %+#v", reflect.TypeOf(k), k, v)
			}
			value, err := jsonable(v)
			if err != nil {
				return nil, err
			}
			strMap[key] = value
		}
		return strMap, nil
	case []interface{}:
		arr := make([]interface{}, len(typed))
		for i, v := range typed {
			value, err := jsonable(v)
			if err != nil {
				return nil, err
			}
			arr[i] = value
		}
		return arr, nil
	}
	return yamlObj, nil
}
