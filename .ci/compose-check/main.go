// Loads docker-compose.yml with compose-go (the loader and schema Docker Compose itself uses), then checks that it
// runs what `npm run start:cluster` runs: the schema set-up by temporal-sql-tool, the server after it, the
// namespace registration, the Web UI, the API and two workers with the same settings.
// Usage (from the repository root): go run ./.ci/compose-check docker-compose.yml
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "compose-check: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	file := "docker-compose.yml"
	if len(os.Args) > 1 {
		file = os.Args[1]
	}
	// The secrets the file requires (${X:?…}) get placeholders: this checks the file, not a deployment.
	placeholders := []string{
		"DIGIPOST_BROKER_ID=9999", "INBOUND_SECRETS_KEY=x", "ARCHIVE_BASE_URL=https://archive.invalid/",
		"SMTP_HOST=smtp.invalid", "SMTP_FROM=x@x.invalid", "PAYLOAD_CODEC_KEYS=k1:x", "CODEC_ENDPOINT_TOKEN=x",
	}
	opts, err := cli.NewProjectOptions([]string{file}, cli.WithName("postgang"), cli.WithEnv(placeholders))
	if err != nil {
		fail("%v", err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fail("%s does not load: %v", file, err)
	}
	service := func(name string) types.ServiceConfig {
		s, ok := project.Services[name]
		if !ok {
			fail("no service %q", name)
		}
		return s
	}
	env := func(s types.ServiceConfig, key string) string {
		v, ok := s.Environment[key]
		if !ok || v == nil {
			fail("service %q does not set %s", s.Name, key)
		}
		return *v
	}
	schema := service("temporal-schema")
	cmd := strings.Join(append(schema.Entrypoint, schema.Command...), " ")
	// one loop over both databases: the main one with schema "temporal", visibility with "visibility"
	for _, step := range []string{"create-database", "setup-schema -v 0.0", "update-schema --schema-name postgresql/v12/", "DATABASE:temporal", "VISIBILITY_DATABASE:visibility"} {
		if !strings.Contains(cmd, step) {
			fail("temporal-schema does not run temporal-sql-tool with %q", step)
		}
	}
	server := service("temporal")
	if server.DependsOn["temporal-schema"].Condition != types.ServiceConditionCompletedSuccessfully {
		fail("temporal must wait for temporal-schema to complete")
	}
	if !strings.Contains(strings.Join(service("temporal-namespace").Command, " "), "namespace create") {
		fail("temporal-namespace does not register the namespace")
	}
	service("temporal-ui")
	api := service("api")
	workers := 0
	for name, s := range project.Services {
		if !strings.HasPrefix(name, "worker") {
			continue
		}
		workers++
		for key, v := range api.Environment {
			if w, ok := s.Environment[key]; !ok || (w == nil) != (v == nil) || (w != nil && *w != *v) {
				fail("%s and api differ in %s", name, key)
			}
		}
		for _, key := range []string{"WORKER_HTTP_PORT", "WORKER_MAX_CACHED_WORKFLOWS", "WORKER_MAX_CONCURRENT_ACTIVITIES", "WORKER_MAX_CONCURRENT_WORKFLOW_TASKS"} {
			env(s, key)
		}
	}
	if workers != 2 {
		fail("expected two worker services, found %d", workers)
	}
	for _, key := range []string{"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "DATABASE_URL"} {
		env(api, key)
	}
	fmt.Printf("compose-check: %s loads (%d services); schema, server, namespace, UI, API and 2 workers as start:cluster runs them\n", file, len(project.Services))
}
