package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// checkAssembly fails unless every asset the synthesized stack references was written to
// outdir. The jsii runtime has been seen to report a finished synth whose asset copies were
// incomplete (its node process exiting abnormally at shutdown); a missing asset would otherwise
// surface only at deploy or invoke time.
func checkAssembly(outdir, stackName string) error {
	data, err := os.ReadFile(filepath.Join(outdir, stackName+".assets.json"))
	if err != nil {
		return fmt.Errorf("synth wrote no asset manifest: %w", err)
	}
	var manifest struct {
		Files map[string]struct {
			Source struct {
				Path      string `json:"path"`
				Packaging string `json:"packaging"`
			} `json:"source"`
		} `json:"files"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		return fmt.Errorf("asset manifest: %w", err)
	}
	for id, f := range manifest.Files {
		path := filepath.Join(outdir, f.Source.Path)
		if f.Source.Packaging == "zip" { // a Lambda code directory: its bootstrap must be there
			path = filepath.Join(path, "bootstrap")
		}
		if info, err := os.Stat(path); err != nil || info.Size() == 0 {
			return fmt.Errorf("synth did not write asset %s (%s)", id, path)
		}
	}
	return nil
}
