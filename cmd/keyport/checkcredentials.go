package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"keyport/shared/credentials"
)

// checkCredentials is `keyport check-credentials FILE`: the check the server makes when it
// loads a credentials document (every entry, every policy: docs/policies.md), run offline. It
// prints how many credentials have no policy, or the first error, which names the entry and
// never quotes a secret.
func checkCredentials(args []string, out io.Writer) error {
	if len(args) != 1 {
		return errors.New("give one credentials file")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	book, err := credentials.Parse(data)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: valid; %d credentials without a policy (full access to their account)\n", args[0], book.Unrestricted())
	return nil
}
