// Command dist packs the binaries `make dist` built into what people
// install: a Linux tarball and a Debian package (made with nfpm, kept in
// this module of its own so it never becomes a dependency of loupe), a
// Windows zip, and checksums.
//
//	go run . -root ../.. -dist ../../dist -version v1.2.3
//
// It expects in -dist: linux-amd64/loupe, loupe.exe, and
// tracker-server_VERSION_{linux_amd64,linux_arm64,windows_amd64.exe}.
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/goreleaser/nfpm/v2"
	_ "github.com/goreleaser/nfpm/v2/deb" // registers the deb packager
	"github.com/goreleaser/nfpm/v2/files"
)

func main() {
	root := flag.String("root", ".", "the repository")
	dist := flag.String("dist", "dist", "where the binaries are and the packages go")
	version := flag.String("version", "", "the version stamped into the binaries (git describe)")
	flag.Parse()
	if err := run(*root, *dist, *version); err != nil {
		fmt.Fprintln(os.Stderr, "dist: "+err.Error())
		os.Exit(1)
	}
}

// file is one file of a package: where it comes from, where it goes, its mode.
type file struct {
	src, dst string
	mode     os.FileMode
}

func run(root, dist, version string) error {
	if version == "" {
		return errors.New("give -version")
	}
	// Archives carry the commit's time, not the build's, so the same
	// commit packs the same bytes.
	mtime := commitTime()
	linux := []file{
		{filepath.Join(dist, "linux-amd64", "loupe"), "usr/bin/loupe", 0o755},
		{filepath.Join(dist, "tracker-server_"+version+"_linux_amd64"), "usr/bin/tracker-server", 0o755},
		{filepath.Join(root, "build", "dist", "loupe.desktop"), "usr/share/applications/loupe.desktop", 0o644},
		{filepath.Join(root, "build", "appicon.png"), "usr/share/icons/hicolor/512x512/apps/loupe.png", 0o644},
		{filepath.Join(root, "README.md"), "usr/share/doc/loupe/README.md", 0o644},
	}
	var made []string
	tgz := filepath.Join(dist, fmt.Sprintf("loupe_%s_linux_amd64.tar.gz", version))
	if err := writeTarball(tgz, "loupe-"+version, linux, mtime); err != nil {
		return err
	}
	made = append(made, tgz)

	deb, err := writeDeb(dist, version, linux, mtime)
	if err != nil {
		return err
	}
	made = append(made, deb)

	zipPath := filepath.Join(dist, fmt.Sprintf("loupe_%s_windows_amd64.zip", version))
	if err := writeZip(zipPath, "loupe-"+version, []file{
		{filepath.Join(dist, "loupe.exe"), "loupe.exe", 0o755},
		{filepath.Join(dist, "tracker-server_"+version+"_windows_amd64.exe"), "tracker-server.exe", 0o755},
		{filepath.Join(root, "README.md"), "README.md", 0o644},
	}, mtime); err != nil {
		return err
	}
	made = append(made, zipPath)
	for _, p := range []string{"linux_amd64", "linux_arm64", "windows_amd64.exe"} {
		made = append(made, filepath.Join(dist, "tracker-server_"+version+"_"+p))
	}
	made = append(made, filepath.Join(dist, "loupe.exe"))
	return writeChecksums(filepath.Join(dist, "SHA256SUMS"), made)
}

// debVersion turns `git describe` into a Debian version: a tag v1.2.3
// (with -N-gHASH after it) is a semantic version nfpm splits itself; a
// bare commit hash becomes 0.0.0~gitHASH, which sorts below any release.
func debVersion(v string) (version, prerelease, schema string) {
	if regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+`).MatchString(v) {
		return v, "", "semver"
	}
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '.'
	}, v)
	return "0.0.0", "git" + clean, "none"
}

func writeDeb(dist, version string, fs []file, mtime time.Time) (string, error) {
	v, pre, schema := debVersion(version)
	var contents files.Contents
	for _, f := range fs {
		contents = append(contents, &files.Content{Source: f.src, Destination: "/" + f.dst,
			FileInfo: &files.ContentFileInfo{Mode: f.mode, MTime: mtime}})
	}
	info := nfpm.WithDefaults(&nfpm.Info{
		Name: "loupe", Arch: "amd64", Platform: "linux",
		Version: v, Prerelease: pre, VersionSchema: schema,
		Section: "devel", Priority: "optional",
		Maintainer:  "Loupe maintainers <loupe@localhost>",
		Description: "Offline session replay and product analytics workbench\nThe loupe workbench window, the tray companion that syncs in the background, the command line, and the tracker-server collector.",
		Homepage:    "https://github.com/loupe-dev/loupe",
		License:     "Proprietary",
		MTime:       mtime,
		Overridables: nfpm.Overridables{
			// The window is WebKitGTK 4.1 + GTK 3; the tray is GLFW over
			// OpenGL and X11.
			Depends:  []string{"libgtk-3-0", "libwebkit2gtk-4.1-0", "libgl1", "libx11-6", "libxcursor1", "libxrandr2", "libxinerama1", "libxi6", "libxxf86vm1"},
			Contents: contents,
		},
	})
	if err := nfpm.PrepareForPackager(info, "deb"); err != nil {
		return "", fmt.Errorf("deb: %w", err)
	}
	pkgr, err := nfpm.Get("deb")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dist, pkgr.ConventionalFileName(info))
	return path, writeAtomic(path, func(w io.Writer) error { return pkgr.Package(info, w) })
}

func writeTarball(path, prefix string, fs []file, mtime time.Time) error {
	return writeAtomic(path, func(w io.Writer) error {
		gz := gzip.NewWriter(w)
		tw := tar.NewWriter(gz)
		for _, f := range fs {
			// The tarball unpacks to loupe-VERSION/bin, share, ... (no usr/).
			name := prefix + "/" + strings.TrimPrefix(strings.Replace(f.dst, "usr/bin/", "bin/", 1), "usr/")
			if err := addFile(f.src, func(size int64) (io.Writer, error) {
				return tw, tw.WriteHeader(&tar.Header{Name: name, Mode: int64(f.mode), Size: size, ModTime: mtime,
					Typeflag: tar.TypeReg, Uname: "root", Gname: "root", Format: tar.FormatPAX})
			}); err != nil {
				return err
			}
		}
		if err := tw.Close(); err != nil {
			return err
		}
		return gz.Close()
	})
}

func writeZip(path, prefix string, fs []file, mtime time.Time) error {
	return writeAtomic(path, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		for _, f := range fs {
			if err := addFile(f.src, func(int64) (io.Writer, error) {
				h := &zip.FileHeader{Name: prefix + "/" + f.dst, Method: zip.Deflate, Modified: mtime}
				h.SetMode(f.mode)
				return zw.CreateHeader(h)
			}); err != nil {
				return err
			}
		}
		return zw.Close()
	})
}

// addFile copies src into the writer open returns for its size.
func addFile(src string, open func(size int64) (io.Writer, error)) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	w, err := open(st.Size())
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	if _, err := io.Copy(w, in); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	return nil
}

func writeChecksums(path string, paths []string) error {
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(h.Sum(nil)), filepath.Base(p))
	}
	return writeAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, b.String()); return err })
}

// writeAtomic writes path through a temporary file, fsynced and renamed,
// so an interrupted run leaves no half package that looks whole.
func writeAtomic(path string, fill func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dist-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := fill(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// commitTime is $SOURCE_DATE_EPOCH (make dist sets HEAD's commit time),
// or now.
func commitTime() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		var sec int64
		if _, err := fmt.Sscan(s, &sec); err == nil {
			return time.Unix(sec, 0).UTC()
		}
	}
	return time.Now().UTC().Truncate(time.Second)
}
