package createsecretv2

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"

	"keyport/shared/fault"
)

// pemField is a payload member as text read it: its text, or why it has none.
type pemField struct {
	text string
	err  error
}

// checkPEM applies the payload's certificate rules (docs/wire/gcore.md, "Secrets v2"):
// certificate is exactly one X.509 certificate, certificate_chain one or more, private_key one
// unencrypted private key, each in PEM with nothing but whitespace around the blocks, and the
// key is the certificate's. Each member that was read is checked, so one answer names every
// bad member; the key is matched only once all three parse. It returns the bundle the secret
// stores. No message quotes the text, since it holds a private key.
func checkPEM(certPEM, chainPEM, keyPEM pemField) ([]byte, error) {
	var cert *x509.Certificate
	var key crypto.Signer
	if certPEM.err == nil {
		cert, certPEM.err = certificate(certPEM.text)
	}
	if chainPEM.err == nil {
		chainPEM.err = chain(chainPEM.text)
	}
	if keyPEM.err == nil {
		key, keyPEM.err = privateKey(keyPEM.text)
	}
	if err := errors.Join(certPEM.err, chainPEM.err, keyPEM.err); err != nil {
		return nil, err
	}
	if !samePublicKey(cert.PublicKey, key) {
		return nil, fault.New(fault.Invalid, fieldPrivateKey, "does not match the public key of payload.certificate")
	}
	var bundle bytes.Buffer
	for _, f := range []pemField{certPEM, chainPEM, keyPEM} {
		bundle.Write(bytes.TrimSpace([]byte(f.text)))
		bundle.WriteByte('\n')
	}
	return bundle.Bytes(), nil
}

// blocks splits text into its PEM blocks. It fails when text holds no block or anything but
// whitespace outside the blocks: pem.Decode would skip such text silently, and it is most
// often a second secret pasted into the wrong field or a truncated copy.
func blocks(text string) ([]*pem.Block, bool) {
	rest := bytes.TrimSpace([]byte(text))
	var out []*pem.Block
	for len(rest) > 0 {
		if !bytes.HasPrefix(rest, []byte("-----BEGIN ")) {
			return nil, false
		}
		b, after := pem.Decode(rest)
		if b == nil {
			return nil, false
		}
		out = append(out, b)
		rest = bytes.TrimSpace(after)
	}
	return out, len(out) > 0
}

// certificate parses the certificate field: one CERTIFICATE block that X.509 parses.
func certificate(text string) (*x509.Certificate, error) {
	bs, ok := blocks(text)
	if !ok {
		return nil, fault.New(fault.Invalid, fieldCertificate, "must be a PEM-encoded X.509 certificate")
	}
	if len(bs) != 1 {
		return nil, fault.New(fault.Invalid, fieldCertificate, "must hold exactly one certificate; put intermediates in payload.certificate_chain")
	}
	return parseCert(fieldCertificate, bs[0])
}

// chain checks the certificate_chain field: one or more CERTIFICATE blocks, each of which
// X.509 parses. Whether they chain up to the certificate is not checked (see the wire doc).
func chain(text string) error {
	bs, ok := blocks(text)
	if !ok {
		return fault.New(fault.Invalid, fieldChain, "must be one or more PEM-encoded X.509 certificates")
	}
	for _, b := range bs {
		if _, err := parseCert(fieldChain, b); err != nil {
			return err
		}
	}
	return nil
}

func parseCert(field string, b *pem.Block) (*x509.Certificate, error) {
	if b.Type != "CERTIFICATE" {
		return nil, fault.New(fault.Invalid, field, "must hold only CERTIFICATE PEM blocks")
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		return nil, fault.New(fault.Invalid, field, "holds a certificate that is not valid X.509 DER")
	}
	return c, nil
}

// keyParsers read the private-key PEM types: PKCS #8, and the PKCS #1 RSA and SEC 1 EC forms
// that OpenSSL writes.
var keyParsers = map[string]func([]byte) (any, error){
	"PRIVATE KEY":     x509.ParsePKCS8PrivateKey,
	"RSA PRIVATE KEY": func(der []byte) (any, error) { return x509.ParsePKCS1PrivateKey(der) },
	"EC PRIVATE KEY":  func(der []byte) (any, error) { return x509.ParseECPrivateKey(der) },
}

// privateKey parses the private_key field: one unencrypted private-key block. An encrypted key
// is refused by name, since the v2 create has no field for its passphrase.
func privateKey(text string) (crypto.Signer, error) {
	bs, ok := blocks(text)
	if !ok || len(bs) != 1 {
		return nil, fault.New(fault.Invalid, fieldPrivateKey, "must be one PEM-encoded private key")
	}
	b := bs[0]
	if b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "" {
		return nil, fault.New(fault.Invalid, fieldPrivateKey, "must not be encrypted")
	}
	parse, ok := keyParsers[b.Type]
	if !ok {
		return nil, fault.New(fault.Invalid, fieldPrivateKey, "must be a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY PEM block")
	}
	k, err := parse(b.Bytes)
	signer, isSigner := k.(crypto.Signer)
	if err != nil || !isSigner {
		return nil, fault.New(fault.Invalid, fieldPrivateKey, "is not a valid private key")
	}
	return signer, nil
}

// samePublicKey reports whether key is the private half of pub. Every key type x509 parses
// has an Equal method on its public key.
func samePublicKey(pub crypto.PublicKey, key crypto.Signer) bool {
	eq, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(pub)
}
