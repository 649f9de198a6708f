package main

// github.com/gosimple/slug, which Argo CD's slugify calls, is not packaged by Debian bookworm. Argo CD only
// ever gives it a name that SanitizeName has already reduced to [-a-z0-9.], so slug.Make's language
// substitutions, transliteration and lowercasing change nothing; what is left is reproduced here: cut at
// MaxLength first when smart truncation is off, replace characters outside [a-zA-Z0-9-_] by "-", collapse
// runs of "-", trim "-" and "_", then smart truncation (whole "-"-separated words up to MaxLength).
// Argo CD sets slug.MaxLength and slug.EnableSmartTruncate as package globals; here they are arguments.

import (
	"regexp"
	"strings"
)

var (
	slugNonAuthorized  = regexp.MustCompile("[^a-zA-Z0-9-_]")
	slugMultipleDashes = regexp.MustCompile("-+")
)

func slugMake(s string, maxLength int, smartTruncate bool) string {
	slug := strings.TrimSpace(s)
	slug = strings.ToLower(slug)
	if !smartTruncate && len(slug) >= maxLength {
		slug = slug[:maxLength]
	}
	slug = slugNonAuthorized.ReplaceAllString(slug, "-")
	slug = slugMultipleDashes.ReplaceAllString(slug, "-")
	slug = strings.Trim(slug, "-_")
	if maxLength > 0 && smartTruncate {
		slug = slugSmartTruncate(slug, maxLength)
	}
	return slug
}

func slugSmartTruncate(text string, maxLength int) string {
	if len(text) <= maxLength {
		return text
	}
	words := strings.SplitAfter(text, "-")
	if len(words[0]) > maxLength {
		return words[0][:maxLength]
	}
	var truncated string
	for _, word := range words {
		if len(truncated)+len(word)-1 <= maxLength {
			truncated += word
		} else {
			break
		}
	}
	return strings.Trim(truncated, "-")
}
