//! Follows resources through a chapter, command by command: `kubectl delete` and
//! `kubectl run --rm` delete, `run`/`create`/`apply`/`expose` create, and the commands that
//! need a resource to exist (`exec`, `logs`, `describe`, `label`...) must not come between.

use std::collections::{BTreeMap, BTreeSet};

use crate::context::SnippetCx;
use crate::diagnostic::Diagnostic;
use crate::shell::{Command, Script, Word};

use super::invocation::{FlagUse, Invocation};
use super::resources::{self, Resource};
use super::{RM_WITHOUT_RESTART_NEVER, USE_AFTER_DELETE};

/// How a resource was deleted, for the message.
#[derive(Debug, Clone)]
struct Deletion {
    line: usize,
    how: &'static str,
}

/// The resources deleted so far in the chapter.
#[derive(Debug, Default)]
pub(super) struct Lifecycle {
    deleted: BTreeMap<Resource, Deletion>,
    /// StatefulSets created in the chapter: they bring a deleted pod back under the same name.
    stateful_sets: BTreeSet<Resource>,
}

impl Lifecycle {
    /// Checks and applies one kubectl command of `script`, in chapter order.
    pub(super) fn apply(
        &mut self,
        snippet: &SnippetCx<'_>,
        invocation: &Invocation<'_>,
        command: &Command,
        script: &Script,
        out: &mut Vec<Diagnostic>,
    ) {
        let line = command
            .words
            .first()
            .map_or(0, |w| snippet.position(w.span.start).0);
        if invocation.verb() == "run" {
            check_rm_restart(snippet, invocation, out);
        }
        for (resource, word) in used(invocation) {
            self.check_use(snippet, &resource, word, out);
        }
        if invocation.verb() == "delete" {
            for (resource, _) in resources::named(invocation) {
                if !self.comes_back(&resource) {
                    let how = "by `kubectl delete`";
                    self.deleted.insert(resource, Deletion { line, how });
                }
            }
        }
        self.created(invocation, command, script);
        if invocation.verb() == "run" && is_set(invocation.flag("rm")) {
            for resource in resources::created(invocation) {
                let how = "by `kubectl run --rm` as soon as its command exited";
                self.deleted.insert(resource, Deletion { line, how });
            }
        }
    }

    /// Whether something recreates the deleted `resource` under its name: a pod of a
    /// StatefulSet of the chapter (`web-0`), or a pod of `kube-system` (static pods and
    /// DaemonSets, which the kubelet and the controllers restore).
    fn comes_back(&self, resource: &Resource) -> bool {
        if resource.kind != "pod" {
            return false;
        }
        if resource.namespace == "kube-system" {
            return true;
        }
        let Some((set, ordinal)) = resource.name.rsplit_once('-') else {
            return false;
        };
        !ordinal.is_empty()
            && ordinal.bytes().all(|b| b.is_ascii_digit())
            && self
                .stateful_sets
                .contains(&Resource::new("statefulset", &resource.namespace, set))
    }

    fn check_use(
        &self,
        snippet: &SnippetCx<'_>,
        resource: &Resource,
        word: &Word,
        out: &mut Vec<Diagnostic>,
    ) {
        let namespace = Resource::new("namespace", "", &resource.namespace);
        let (deletion, what) = match self.deleted.get(resource) {
            Some(deletion) => (deletion, String::new()),
            None => match self.deleted.get(&namespace) {
                Some(deletion) if !resource.namespace.is_empty() => (
                    deletion,
                    format!(" (with its namespace `{}`)", resource.namespace),
                ),
                _ => return,
            },
        };
        let message = format!(
            "{} is used here, but it was deleted at line {}{what} {}",
            resource.display(),
            deletion.line,
            deletion.how
        );
        let diagnostic = snippet
            .diagnostic(&USE_AFTER_DELETE, word.span.clone(), message)
            .with_help(
                "create it again before this command (kubectl run/create/apply), or keep it: \
                 drop `--rm` or move the delete after its last use",
            );
        snippet.report(out, diagnostic);
    }

    /// Forgets the deletion of whatever the command creates.
    fn created(&mut self, invocation: &Invocation<'_>, command: &Command, script: &Script) {
        for resource in resources::created(invocation) {
            self.deleted.remove(&resource);
        }
        if !matches!(invocation.verb(), "apply" | "create" | "replace") {
            return;
        }
        let files: Vec<&str> = invocation
            .flags
            .iter()
            .filter(|f| matches!(f.name, "filename" | "kustomize"))
            .map(|f| f.value.as_deref().unwrap_or_default())
            .collect();
        if files.is_empty() {
            return;
        }
        if files.iter().all(|f| *f == "-") {
            let ns = invocation.namespace();
            let piped = script
                .commands
                .iter()
                .filter(|c| c.pipeline == command.pipeline)
                .flat_map(|c| &c.heredocs);
            for yaml in piped {
                for resource in resources::in_manifests(yaml, &ns) {
                    self.deleted.remove(&resource);
                    if resource.kind == "statefulset" {
                        self.stateful_sets.insert(resource);
                    }
                }
            }
        } else {
            // A file or URL: it could create anything again.
            self.deleted.clear();
        }
    }
}

/// The resources a command needs to exist.
fn used<'w>(invocation: &Invocation<'w>) -> Vec<(Resource, &'w Word)> {
    match invocation.verb() {
        "exec" | "attach" | "port-forward" | "logs" => {
            resources::target_pod(invocation).into_iter().collect()
        }
        "cp" => resources::copy_pods(invocation),
        "describe" | "edit" | "patch" | "label" | "annotate" | "scale" | "autoscale" | "set"
        | "rollout" | "expose" | "taint" => resources::named(invocation),
        _ => Vec::new(),
    }
}

/// A boolean flag that is present and not `=false`.
fn is_set(flag: Option<&FlagUse<'_>>) -> bool {
    flag.is_some_and(|f| f.value.as_deref() != Some("false"))
}

/// `kubectl-rm-without-restart-never`.
fn check_rm_restart(
    snippet: &SnippetCx<'_>,
    invocation: &Invocation<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(rm) = invocation.flag("rm").filter(|f| is_set(Some(f))) else {
        return;
    };
    let restart = invocation.flag("restart").and_then(|f| f.value.as_deref());
    if restart == Some("Never") {
        return;
    }
    let diagnostic = snippet
        .diagnostic(
            &RM_WITHOUT_RESTART_NEVER,
            rm.word.span.clone(),
            "`kubectl run --rm` without `--restart=Never`: the pod's container is restarted \
             when its command exits, so the pod can linger and the exit status is lost",
        )
        .with_help("add `--restart=Never`");
    snippet.report(out, diagnostic);
}
