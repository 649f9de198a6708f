// Command goref renders Go templates exactly as Argo CD's ApplicationSet controller renders one template
// field (applicationset/utils Render.Replace with goTemplate): Go's own text/template, Sprig's generic
// function map without env, expandenv and getHostByName, plus Argo CD's normalize, slugify, toYaml, fromYaml
// and fromYamlArray; the template is named "base" (-name changes it) and goTemplateOptions are applied with
// Template.Option.
//
// It is the oracle of hubctl's differential tests (tests/oracle). It reads cases as JSON lines on stdin:
//
//	{"id": 7, "template": "{{ .a | upper }}", "params": {"a": "x"}, "options": ["missingkey=error"]}
//
// or, with "object" in place of "template", a JSON object rendered as RenderTemplateParams walks an
// Application (object.go); and writes one JSON line per case: {"id": 7, "ok": true, "output": "X"} or {"id": 7, "ok": false,
// "error": "..."}, with Argo CD's "failed to parse template"/"failed to execute go template" prefixes.
// Params are decoded as Argo CD's generators hand them over: JSON, so every number is a float64.
//
// It is built in GOPATH mode against Debian's packaged library sources (tests/support/install-go.sh).
// Libraries Argo CD v3.5.1 links that Debian does not package are reproduced in yamljson.go
// (sigs.k8s.io/yaml) and slug.go (github.com/gosimple/slug) from their steps, on what is packaged.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strings"
	"text/template"

	// Debian installs Sprig v3 at its v1 path; GOPATH mode resolves its own /v3 imports.
	sprig "github.com/Masterminds/sprig"
)

type request struct {
	ID       int                    `json:"id"`
	Template string                 `json:"template"`
	Object   interface{}            `json:"object"`
	Params   map[string]interface{} `json:"params"`
	Options  []string               `json:"options"`
}

type response struct {
	ID     int    `json:"id"`
	OK     bool   `json:"ok"`
	Output string `json:"output,omitempty"`
	Error  string `json:"error,omitempty"`
}

func funcMap() template.FuncMap {
	funcs := sprig.GenericFuncMap()
	// Argo CD removes these so that a template cannot learn about the controller's environment.
	delete(funcs, "env")
	delete(funcs, "expandenv")
	delete(funcs, "getHostByName")
	funcs["normalize"] = sanitizeName
	funcs["slugify"] = slugifyName
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = fromYAML
	funcs["fromYamlArray"] = fromYAMLArray
	return template.FuncMap(funcs)
}

var invalidDNSNameChars = regexp.MustCompile("[^-a-z0-9.]")

// sanitizeName is Argo CD's SanitizeName (the normalize function).
func sanitizeName(name string) string {
	name = strings.ToLower(name)
	name = invalidDNSNameChars.ReplaceAllString(name, "-")
	if len(name) > 253 {
		name = name[:253]
	}
	return strings.Trim(name, "-.")
}

// slugifyName is Argo CD's SlugifyName: [maxSize int [smartTruncate bool]] name; a wrong argument type
// panics in a type assertion there too, which text/template reports as an error calling slugify.
func slugifyName(args ...interface{}) string {
	maxSize, smart, name := 50, true, ""
	for idx, arg := range args {
		switch idx {
		case len(args) - 1:
			name = arg.(string)
		case 0:
			maxSize = arg.(int)
		case 1:
			smart = arg.(bool)
		}
	}
	return slugMake(sanitizeName(name), maxSize, smart)
}

func toYAML(v interface{}) (string, error) {
	data, err := yamlMarshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(data), "\n"), nil
}

func fromYAML(str string) (map[string]interface{}, error) {
	m := map[string]interface{}{}
	if err := yamlUnmarshal([]byte(str), &m); err != nil {
		return nil, err
	}
	return m, nil
}

func fromYAMLArray(str string) ([]interface{}, error) {
	a := []interface{}{}
	if err := yamlUnmarshal([]byte(str), &a); err != nil {
		return nil, err
	}
	return a, nil
}

// replace is Render.Replace with useGoTemplate: parse, apply options, execute.
func replace(name, text string, params map[string]interface{}, options []string, funcs template.FuncMap) (out string, err error) {
	defer func() {
		// Template.Option panics on an unknown option, as it does in the controller (which recovers it).
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	tmpl, err := template.New(name).Funcs(funcs).Parse(text)
	if err != nil {
		return "", fmt.Errorf("failed to parse template %s: %w", text, err)
	}
	for _, option := range options {
		tmpl = tmpl.Option(option)
	}
	var buf bytes.Buffer
	if err = tmpl.Execute(&buf, params); err != nil {
		return "", fmt.Errorf("failed to execute go template %s: %w", text, err)
	}
	return buf.String(), nil
}

func main() {
	name := flag.String("name", "base", "the template's name, as in Argo CD's template.New")
	version := flag.Bool("version", false, "print the Go version this renderer was built with, and exit")
	flag.Parse()
	if *version {
		fmt.Println(runtime.Version())
		return
	}
	funcs := funcMap()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	encoder.SetEscapeHTML(false)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintf(os.Stderr, "goref: bad request line: %v\n", err)
			os.Exit(2)
		}
		if req.Params == nil {
			req.Params = map[string]interface{}{}
		}
		var text string
		var err error
		if req.Object != nil {
			text, err = renderObject(*name, req.Object, req.Params, req.Options, funcs)
		} else {
			text, err = replace(*name, req.Template, req.Params, req.Options, funcs)
		}
		resp := response{ID: req.ID, OK: err == nil, Output: text}
		if err != nil {
			resp.Error = err.Error()
		}
		if err := encoder.Encode(resp); err != nil {
			fmt.Fprintf(os.Stderr, "goref: %v\n", err)
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "goref: reading stdin: %v\n", err)
		os.Exit(2)
	}
}
