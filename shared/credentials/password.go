package credentials

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Passwords and application credential secrets are stored only as argon2id hashes in PHC
// string form, "$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>" (unpadded standard
// base64), as `keyport hash-password` prints them. The parameters are OWASP's argon2id minimum
// (19 MiB, 2 passes, 1 lane): one check costs tens of milliseconds, which bounds guessing, and
// its memory bounds how many checks a process runs at once.
const (
	hashMemory  = 19 * 1024
	hashPasses  = 2
	hashLanes   = 1
	hashSaltLen = 16
	hashKeyLen  = 32
)

// Limits on a hash's parameters as a document gives them, so that a document cannot make one
// check take a machine's memory or minutes.
const (
	maxHashMemory = 256 * 1024
	maxHashPasses = 10
	maxHashLanes  = 8
)

// passwordHash is a parsed PHC argon2id string.
type passwordHash struct {
	memory, passes uint32
	lanes          uint8
	salt, key      []byte
}

// HashPassword returns password's argon2id hash in PHC form under a fresh random salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, hashSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("credentials: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, hashPasses, hashMemory, hashLanes, hashKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, hashMemory, hashPasses, hashLanes,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// errHashForm is the one refusal of a malformed hash: it never quotes the hash.
var errHashForm = errors.New(`must be an argon2id hash in PHC form ("$argon2id$v=19$m=…,t=…,p=…$salt$hash", from keyport hash-password)`)

// parseHash reads a PHC argon2id string, within the parameter limits.
func parseHash(s string) (passwordHash, error) {
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return passwordHash{}, errHashForm
	}
	var h passwordHash
	var lanes uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.memory, &h.passes, &lanes); err != nil || n != 3 ||
		fmt.Sprintf("m=%d,t=%d,p=%d", h.memory, h.passes, lanes) != parts[3] {
		return passwordHash{}, errHashForm
	}
	if h.memory < 8*lanes || h.memory > maxHashMemory || h.passes < 1 || h.passes > maxHashPasses || lanes < 1 || lanes > maxHashLanes {
		return passwordHash{}, errHashForm
	}
	h.lanes = uint8(lanes)
	var err error
	if h.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(h.salt) < 8 {
		return passwordHash{}, errHashForm
	}
	if h.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(h.key) < 16 || len(h.key) > 64 {
		return passwordHash{}, errHashForm
	}
	return h, nil
}

// matches reports whether password hashes to h, comparing in constant time.
func (h passwordHash) matches(password string) bool {
	key := argon2.IDKey([]byte(password), h.salt, h.passes, h.memory, h.lanes, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1
}

// decoy is checked when no user or credential matches the name or id given, so that an
// unknown name costs the same argon2id run as a wrong password and timing does not tell
// which names exist. Its password is unknowable: the hash is of random bytes drawn at start.
// It is made on first use, so processes that never check a password do not pay for it.
var decoy = sync.OnceValue(func() passwordHash {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	s, _ := HashPassword(string(secret))
	h, _ := parseHash(s)
	return h
})
