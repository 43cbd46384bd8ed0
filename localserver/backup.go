package localserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"keyport/shared/localdata"
	"keyport/shared/store/boltstore"
)

// SocketFile is the running server's backup socket in its data directory, mode 0600: only its
// owner can connect, who can read the store file itself; nothing is served on the TCP port.
const SocketFile = "keyport.sock"

// serveBackups serves GET /backup on the data directory's socket: the store's consistent copy.
// It returns a function that stops serving.
func serveBackups(dataDir string, st *boltstore.Store) (func(), error) {
	path := filepath.Join(dataDir, SocketFile)
	// A socket left by a server killed earlier: this process holds the store's lock, so no
	// other server is using it.
	_ = os.Remove(path)
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("backup socket: %w", err)
	}
	// Connecting takes write permission on the socket: the owner's only, whatever the umask or
	// the directory's mode.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("backup socket: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /backup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = st.Backup(w) // a failure mid-stream reaches the client as a short body
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return func() { srv.Close(); _ = os.Remove(path) }, nil
}

// Backup writes a consistent copy of the store in dataDir to out: from the running server,
// through its socket, or, when no server runs there, from the file itself. The copy holds
// sealed values only; restoring it needs the data directory's master.key too.
func Backup(ctx context.Context, dataDir string, out io.Writer) (int64, error) {
	n, err := backupOnline(ctx, dataDir, out)
	if !errors.Is(err, errNoServer) {
		return n, err
	}
	d, err := localdata.Open(dataDir)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	return d.Store.Backup(out)
}

var errNoServer = errors.New("no server runs on this data directory")

func backupOnline(ctx context.Context, dataDir string, out io.Writer) (int64, error) {
	path := filepath.Join(dataDir, SocketFile)
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "unix", path)
	}}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://keyport/backup", nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		if _, serr := os.Stat(path); errors.Is(serr, os.ErrNotExist) || isRefused(err) {
			return 0, errNoServer
		}
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("backup: the server answered %s", resp.Status)
	}
	n, err := io.Copy(out, resp.Body)
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

func isRefused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// Restore loads the backup file into dataDir, which must hold no store yet: the copy is
// checked (the store opens it), synced, and only then renamed into place, so a crash leaves
// either no store or the whole backup.
func Restore(dataDir, backup string) error {
	target := filepath.Join(dataDir, localdata.StoreFile)
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("restore: %s already holds a store; restore into an empty data directory", dataDir)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	tmp, err := copyToTemp(dataDir, backup)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	st, err := boltstore.Open(tmp)
	if err != nil {
		return fmt.Errorf("restore: %s is not a keyport store this build reads: %w", backup, err)
	}
	if err := st.Close(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.Link(tmp, target); err != nil { // fails, rather than replaces, if a store appeared
		return fmt.Errorf("restore: %w", err)
	}
	syncDir(dataDir)
	return nil
}

// copyToTemp copies src into a synced temporary file (mode 0600) in dir and returns its path.
func copyToTemp(dir, src string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, ".restore-*")
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("restore: %w", err)
	}
	return out.Name(), nil
}
