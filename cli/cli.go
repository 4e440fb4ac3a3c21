// Package cli is the `loupe` command line: the desktop window, the same UI
// in a browser, and commands over the same workspace (docs/cli.md).
//
// Each subcommand lives in its own cmd_<name>.go file and registers itself
// in init, so commands stay independent and short. The window itself needs
// build tags, so the main package passes it in (see Host).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one `loupe NAME` subcommand.
type command struct {
	name    string
	summary string
	// run parses args with its own FlagSet and does the work; output goes
	// to stdout, progress to stderr.
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// errUsage marks an error already explained by a FlagSet's usage output.
var errUsage = errors.New("usage")

// Main runs the command line with args (the program name left out) and
// returns the process exit code. host brings the parts that need build
// tags; a zero Host is a binary without them.
func Main(args []string, host Host) int {
	window = host.Window
	trayView = host.Tray
	if host.Version != "" {
		version = host.Version
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, args, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, errUsage) && !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "loupe: "+sentence(err))
		}
		return exitCode(err)
	}
	return 0
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	name := "open" // plain `loupe` opens the workbench window
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		name = "version"
	}
	if name == "help" || name == "--help" || name == "-h" {
		usage(stdout)
		return nil
	}
	c, ok := commands[name]
	if !ok {
		usage(stderr)
		return fmt.Errorf("unknown command %q", name)
	}
	return c.run(ctx, args, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: loupe COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
}

// sentence makes an error read as one sentence: capitalised, full stop.
func sentence(err error) string {
	s := err.Error()
	if s == "" {
		return "failed."
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func exitCode(err error) int {
	if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

// newFlags returns a FlagSet for a subcommand that reports errors itself.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("loupe "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses and turns flag errors into errUsage (already printed).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}
