package main

import (
	"archive/tar"
	"debug/elf"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// buildBinaries cross-compiles cmd/keyport as `make image` does: static, for every architecture.
func buildBinaries(t *testing.T) map[string]string {
	t.Helper()
	bins := map[string]string{}
	for _, arch := range Architectures {
		out := filepath.Join(t.TempDir(), "keyport-"+arch)
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./cmd/keyport")
		cmd.Dir = ".."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build linux/%s: %v\n%s", arch, err, b)
		}
		bins[arch] = out
	}
	return bins
}

// TestImage builds the image, writes it, reads it back from the tar alone, and checks what a
// container runtime reads: platforms, entry point, user, port, data directory, a static binary
// per platform, and that the host's binary starts and answers health.
func TestImage(t *testing.T) {
	idx, err := Build(buildBinaries(t))
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "image")
	if err := Write(idx, dir, dir+".tar"); err != nil {
		t.Fatalf("Write: %v", err)
	}
	unpacked := untar(t, dir+".tar")
	p, err := layout.FromPath(unpacked)
	if err != nil {
		t.Fatalf("the tar is not an OCI layout: %v", err)
	}
	top, err := p.ImageIndex()
	if err != nil {
		t.Fatal(err)
	}
	im, _ := top.IndexManifest()
	if len(im.Manifests) != 1 || im.Manifests[0].Annotations["org.opencontainers.image.ref.name"] != RefName {
		t.Fatalf("index.json: got %+v, want one index named %s", im.Manifests, RefName)
	}
	multi, err := top.ImageIndex(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	mm, _ := multi.IndexManifest()
	var platforms []string
	for _, d := range mm.Manifests {
		platforms = append(platforms, d.Platform.OS+"/"+d.Platform.Architecture)
		img, err := multi.Image(d.Digest)
		if err != nil {
			t.Fatal(err)
		}
		checkImage(t, img, d.Platform.Architecture)
	}
	if want := []string{"linux/amd64", "linux/arm64"}; !slices.Equal(platforms, want) {
		t.Errorf("platforms: got %v, want %v", platforms, want)
	}
}

func checkImage(t *testing.T, img v1.Image, arch string) {
	t.Helper()
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if cf.OS != "linux" || cf.Architecture != arch {
		t.Errorf("%s: config platform %s/%s", arch, cf.OS, cf.Architecture)
	}
	if !slices.Equal(c.Entrypoint, []string{Binary}) || c.User != "65532:65532" || c.WorkingDir != DataDir {
		t.Errorf("%s: entrypoint %v, user %q, workdir %q; want [%s], 65532:65532, %s", arch, c.Entrypoint, c.User, c.WorkingDir, Binary, DataDir)
	}
	if _, ok := c.ExposedPorts[Port]; !ok || !slices.Contains(c.Env, "KEYPORT_ADDR=0.0.0.0:8080") || !slices.Contains(c.Env, "KEYPORT_DATA_DIR=/data") {
		t.Errorf("%s: ports %v, env %v; want 8080/tcp and keyport listening on 0.0.0.0:8080 with /data", arch, c.ExposedPorts, c.Env)
	}
	files := layerFiles(t, img)
	if d, ok := files["data/"]; !ok || d.hdr.Uid != UID || d.hdr.Mode&0o777 != 0o700 {
		t.Errorf("%s: /data: got %+v, want a directory owned by %d, mode 0700", arch, d.hdr, UID)
	}
	bin, ok := files["keyport"]
	if !ok {
		t.Fatalf("%s: no /keyport in the layer", arch)
	}
	path := filepath.Join(t.TempDir(), "keyport")
	if err := os.WriteFile(path, bin.body, 0o755); err != nil {
		t.Fatal(err)
	}
	checkStatic(t, path, arch)
	if arch == runtime.GOARCH {
		checkStarts(t, path)
	}
}

// checkStatic checks that the binary is for arch and needs no dynamic loader.
func checkStatic(t *testing.T, path, arch string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatalf("%s: not an ELF binary: %v", arch, err)
	}
	defer f.Close()
	want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[arch]
	if f.Machine != want {
		t.Errorf("%s: binary for %v, want %v", arch, f.Machine, want)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s: binary asks for a dynamic loader, want a static one", arch)
		}
	}
}

// checkStarts runs the image's binary, on loopback (a test never listens beyond it), and waits
// for its health to answer 200.
func checkStarts(t *testing.T, path string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(path)
	cmd.Env = []string{"KEYPORT_ADDR=" + addr, "KEYPORT_DATA_DIR=" + t.TempDir()}
	if err := cmd.Start(); err != nil {
		t.Fatalf("the image's binary does not start: %v", err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/_keyport/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Error("the image's binary never answered health 200")
}

type file struct {
	hdr  *tar.Header
	body []byte
}

func layerFiles(t *testing.T, img v1.Image) map[string]file {
	t.Helper()
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("layers: got %d, %v; want one", len(layers), err)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	files := map[string]file{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		files[h.Name] = file{h, b}
	}
}

// untar unpacks the OCI archive into a new directory.
func untar(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := t.TempDir()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return dir
		}
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dir, filepath.FromSlash(h.Name))
		if h.Typeflag == tar.TypeDir {
			os.MkdirAll(target, 0o755)
			continue
		}
		b, _ := io.ReadAll(tr)
		os.MkdirAll(filepath.Dir(target), 0o755)
		if err := os.WriteFile(target, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
