package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
)

func init() {
	register(command{
		name:    "tags",
		summary: "tag rules: tag every session in a segment (tags rule add|list|rm)",
		run:     runTags,
	})
}

const tagsUsage = `usage:
  loupe tags rule add --workspace F --name NAME --segment EXPR [--tag TAG]
  loupe tags rule list --workspace F [--json]
  loupe tags rule rm --workspace F NAME`

func runTags(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) < 2 || args[0] != "rule" {
		fmt.Fprintln(stderr, tagsUsage)
		return fmt.Errorf("%w: want `tags rule add|list|rm`", errUsage)
	}
	switch args[1] {
	case "add":
		return runTagRuleAdd(ctx, args[2:], stdout, stderr)
	case "list", "ls":
		return runTagRuleList(ctx, args[2:], stdout, stderr)
	case "rm", "remove":
		return runTagRuleRemove(ctx, args[2:], stdout, stderr)
	}
	fmt.Fprintln(stderr, tagsUsage)
	return fmt.Errorf("%w: unknown `tags rule %s`", errUsage, args[1])
}

func runTagRuleAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tags rule add", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	name := fs.String("name", "", "the rule's name; also the tag unless --tag is given")
	tag := fs.String("tag", "", "the tag to set (default: the name)")
	seg := fs.String("segment", "", `the sessions to tag, e.g. 'rage_clicks > 0 and visited "/checkout*"'`)
	fs.Usage = func() { fmt.Fprintln(stderr, tagsUsage); fs.PrintDefaults() }
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" || *seg == "" {
		fs.Usage()
		return fmt.Errorf("%w: --name and --segment are required", errUsage)
	}
	if *tag == "" {
		*tag = *name
	}
	expr, err := parseCLISegment(stderr, *seg)
	if err != nil {
		return err
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.SaveTagRule(ctx, *name, *tag, expr); err != nil {
		return err
	}
	n, err := db.RuleTagged(ctx, *tag)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "rule %q tags %d sessions %q; new sessions are tagged on sync\n", *name, n, *tag)
	return nil
}

func runTagRuleList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tags rule list", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	asJSON := fs.Bool("json", false, "print the rules as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	rules, err := db.TagRules(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rules)
	}
	if len(rules) == 0 {
		fmt.Fprintln(stdout, "no tag rules")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTAG\tSEGMENT")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Tag, r.Text)
	}
	return tw.Flush()
}

func runTagRuleRemove(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("tags rule rm", stderr)
	path := fs.String("workspace", "", "workspace file (default: the user's workspace)")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fmt.Fprintln(stderr, tagsUsage)
		return fmt.Errorf("%w: name one rule to remove", errUsage)
	}
	db, err := openCLIWorkspace(ctx, *path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.DeleteTagRule(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed rule %q and the tags it set\n", rest[0])
	return nil
}
