// Command write writes the event of every function that has none yet into the events folder,
// rendered from its rows (events.Render), so that no event is written by hand. With -all it
// rewrites every event (after a deliberate change to rows' Examples or to Render).
//
//	go run ./events/write [-dir events] [-all]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"keyport/events"
	"keyport/functions"
)

func main() {
	dir := flag.String("dir", "events", "the events folder")
	all := flag.Bool("all", false, "rewrite every event, not only the missing ones")
	flag.Parse()
	if err := write(*dir, *all); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func write(dir string, all bool) error {
	for _, fn := range functions.Functions() {
		path := filepath.Join(dir, fn.Name+".json")
		if _, err := os.Stat(path); err == nil && !all {
			continue
		} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		ev, err := events.Render(fn)
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, ev, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", path)
	}
	return nil
}
