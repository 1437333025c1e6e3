// Command hooklint-oracle runs gitops-engine's sync engine on applications read as JSON lines and prints, for
// each, every operation the engine performed against a simulated cluster, in order. hooklint's differential
// test compares its own plan with this output (see README.md).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hooklint-oracle:", err)
		os.Exit(2)
	}
}

func run(in io.Reader, out io.Writer) error {
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for scanner.Scan() {
		line := scanner.Bytes()
		if len(line) == 0 {
			continue
		}
		var app Application
		if err := json.Unmarshal(line, &app); err != nil {
			return fmt.Errorf("reading an application: %w", err)
		}
		result := syncApplication(&app)
		if err := enc.Encode(result); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return scanner.Err()
}
