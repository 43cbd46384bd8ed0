package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"keyport/shared/credentials"
)

// hashPassword is `keyport hash-password`: it reads one password from in (its first line,
// without the line ending) and prints its argon2id hash, to paste into the credentials
// document as a user's "password" or an application credential's "secret".
func hashPassword(in io.Reader, out io.Writer) error {
	line, err := bufio.NewReader(io.LimitReader(in, 4097)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	password := strings.TrimRight(line, "\r\n")
	switch {
	case password == "":
		return errors.New("hash-password: no password on standard input")
	case len(password) > 4096:
		return errors.New("hash-password: a password is at most 4096 bytes")
	}
	hash, err := credentials.HashPassword(password)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, hash)
	return err
}
