//! Tests of the manifest rules through the whole pipeline (markdown in, diagnostics out).

use super::*;
use crate::testing::{check_markdown, rules_in};

fn manifest_rules(markdown: &str) -> Vec<&'static str> {
    rules_in(markdown)
        .into_iter()
        .filter(|id| RULES.iter().any(|rule| rule.id == *id))
        .collect()
}

fn fence(lang: &str, code: &str) -> String {
    format!("# T\n\nText.\n\n```{lang}\n{code}```\n")
}

/// Diagnostics of `rule` as `(line, column, message, help)`.
fn found(markdown: &str, rule: &Rule) -> Vec<(usize, usize, String, String)> {
    check_markdown(markdown)
        .into_iter()
        .filter(|d| d.rule == rule.id)
        .map(|d| (d.line, d.column, d.message, d.help.unwrap_or_default()))
        .collect()
}

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
  annotations:
    kubernetes.io/change-cause: \"first rollout\"
spec:
  replicas: 3
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 1
  selector:
    matchLabels:
      app: web
    matchExpressions:
    - key: tier
      operator: In
      values: [frontend, edge]
  template:
    metadata:
      labels:
        app: web
        tier: frontend
    spec:
      serviceAccountName: web
      securityContext:
        runAsNonRoot: true
        fsGroup: 2000
      containers:
      - name: nginx
        image: nginx:1.27
        imagePullPolicy: IfNotPresent
        args: [\"-g\", \"daemon off;\"]
        ports:
        - containerPort: 80
          name: http
        env:
        - name: MODE
          value: \"production\"
        - name: POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits:
            cpu: 1
            memory: 256Mi
        readinessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 5
        volumeMounts:
        - name: config
          mountPath: /etc/nginx/conf.d
          readOnly: true
      volumes:
      - name: config
        configMap:
          name: web-config
          defaultMode: 0644
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
";

#[test]
fn a_realistic_deployment_is_quiet() {
    assert_eq!(
        manifest_rules(&fence("yaml", DEPLOYMENT)),
        Vec::<&str>::new()
    );
}

/// One correct object of each common kind, written the way documentation writes them.
const COMMON_KINDS: &str = r#"apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data:
  nginx.conf: |
    server { listen 80; }
  LOG_LEVEL: "debug"
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
type: Opaque
data:
  password: cGFzc3dvcmQ=
stringData:
  user: admin
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: 8080
    nodePort: 30080
    protocol: TCP
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  creationTimestamp: null
spec:
  restartPolicy: Never
  nodeSelector: {kubernetes.io/hostname: worker-1}
  containers:
  - name: box
    image: busybox:1.36
    command: ["sh", "-c", "sleep 3600"]
    livenessProbe:
      exec: {command: [cat, /tmp/healthy]}
      periodSeconds: 5
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
    resources:
      limits: {nvidia.com/gpu: 1, cpu: 0.5}
status: {}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup}
spec:
  schedule: "0 2 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: bitnami/etcd
            args: [snapshot, save, /backup/snap.db]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-frontend}
spec:
  podSelector: {matchLabels: {app: backend}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector: {matchLabels: {app: frontend}}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports: [{protocol: TCP, port: 8080}]
  egress:
  - to: [{namespaceSelector: {}}]
    ports: [{port: 53, protocol: UDP}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {nginx.ingress.kubernetes.io/rewrite-target: /}
spec:
  ingressClassName: nginx
  tls: [{hosts: [shop.example.com], secretName: tls}]
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: read-nodes}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: ClusterRole, name: node-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: nfs}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteMany]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: manual
  nfs: {server: 10.0.0.5, path: /exports}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
parameters: {type: pd-ssd}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 50%
  selector: {matchLabels: {app: web}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota}
spec:
  hard: {requests.cpu: "4", limits.memory: 8Gi, pods: "20"}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - type: Container
    default: {cpu: 500m}
    defaultRequest: {cpu: 100m}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000000
globalDefault: false
description: "For critical pods."
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-preserve-unknown-fields: true
            properties:
              cronSpec: {type: string, pattern: '^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$'}
              replicas: {type: integer, minimum: 1, default: 1}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: policy}
webhooks:
- name: policy.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Fail
  clientConfig: {service: {namespace: policy, name: webhook, path: /validate}, caBundle: Y2E=}
  rules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: leader, namespace: kube-system}
spec: {holderIdentity: node-1, leaseDurationSeconds: 15}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, protocol: TCP, port: 80}]
endpoints: [{addresses: [10.1.2.3], conditions: {ready: true}}]
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor}
handler: runsc
---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: hostpath.csi.k8s.io}
spec: {attachRequired: false, podInfoOnMount: true, volumeLifecycleModes: [Persistent, Ephemeral]}
"#;

#[test]
fn correct_objects_of_every_common_kind_are_quiet() {
    assert_eq!(
        manifest_rules(&fence("yaml", COMMON_KINDS)),
        Vec::<&str>::new()
    );
    // The same objects with slips, to show that each was read against its schema: a renamed
    // required field is both unknown and missing.
    let slipped = COMMON_KINDS
        .replace("handler: runsc", "handlr: runsc")
        .replace("minReplicas: 2", "minReplicas: two")
        .replace("    served: true", "    serve: true")
        .replace("  hard: {", "  hrad: {");
    assert_eq!(manifest_rules(&fence("yaml", &slipped)), [SCHEMA.id; 6]);
}

#[test]
fn yaml_syntax_maps_the_position_back_to_the_file() {
    let md = fence(
        "yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: {}\n",
    );
    let found = found(&md, &YAML_SYNTAX);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 10, "line of ` labels:` in the file");
    assert!(
        found[0].2.starts_with("YAML does not parse"),
        "{}",
        found[0].2
    );
}

#[test]
fn yaml_syntax_in_a_heredoc_points_into_the_body() {
    let md = fence(
        "bash",
        "kubectl create ns x\ncat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: ConfigMap\ndata:\n\ta: b\nEOF\n",
    );
    let found = found(&md, &YAML_SYNTAX);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 11);
    assert_eq!(found[0].3, "YAML indents with spaces, never tabs");
}

#[test]
fn valid_yaml_and_non_yaml_heredocs_are_quiet() {
    let md = fence(
        "bash",
        "cat <<EOF | sudo tee /etc/modules-load.d/k8s.conf\noverlay\n  br_netfilter: [\nEOF\n\
         cat <<'EOF' > values.yaml\nreplicaCount: 2\nimage: {repository: nginx}\nEOF\n",
    );
    assert_eq!(manifest_rules(&md), Vec::<&str>::new());
    assert_eq!(
        manifest_rules(&fence("yaml", "a: [1, 2]\n---\nb: c\n")),
        Vec::<&str>::new()
    );
}

#[test]
fn removed_api_versions_are_unknown_kinds_with_the_current_one() {
    let md = fence(
        "yaml",
        "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\n---\napiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: y}\n",
    );
    let found = found(&md, &UNKNOWN_KIND);
    let lines_and_help: Vec<_> = found.iter().map(|f| (f.0, f.1, f.3.as_str())).collect();
    assert_eq!(
        lines_and_help,
        [
            (6, 13, "use `apiVersion: networking.k8s.io/v1`"),
            (10, 13, "use `apiVersion: apps/v1`")
        ]
    );
}

#[test]
fn a_kind_typo_points_at_the_kind() {
    let found = found(
        &fence("yaml", "apiVersion: v1\nkind: Pods\n"),
        &UNKNOWN_KIND,
    );
    assert_eq!((found[0].0, found[0].1), (7, 7), "{found:?}");
}

#[test]
fn config_files_and_custom_resources_are_not_unknown_kinds() {
    let md = fence(
        "yaml",
        "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking: {podSubnet: 10.244.0.0/16}\n---\n\
         apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n---\n\
         apiVersion: cert-manager.io/v1\nkind: Certificate\nspec: {secretName: tls, bogus: 1}\n---\n\
         apiVersion: v1\nkind: Config\nclusters: []\n",
    );
    assert_eq!(manifest_rules(&md), Vec::<&str>::new());
    let kind = fence(
        "bash",
        "cat > kind-config.yaml <<EOF\nkind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\nEOF\n",
    );
    assert_eq!(manifest_rules(&kind), Vec::<&str>::new());
}

#[test]
fn unknown_fields_are_reported_with_their_path_at_the_key() {
    let code = DEPLOYMENT.replace("imagePullPolicy:", "imagePullPolicyy:");
    let found = found(&fence("yaml", &code), &SCHEMA);
    assert_eq!(found.len(), 1, "{found:?}");
    let (line, column, message, help) = &found[0];
    assert_eq!((*line, *column), (42, 9));
    assert_eq!(
        message,
        "unknown field `spec.template.spec.containers[0].imagePullPolicyy` in Deployment (apps/v1)"
    );
    assert!(
        help.contains("kubectl explain deployment.spec.template.spec.containers"),
        "{help}"
    );
}

#[test]
fn misplaced_fields_are_unknown_too() {
    let code = DEPLOYMENT.replace("  replicas: 3\n", "  replicas: 3\n  image: nginx\n");
    let found = found(&fence("yaml", &code), &SCHEMA);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].2.contains("`spec.image`"), "{}", found[0].2);
}

#[test]
fn wrong_value_types_are_reported_at_the_value() {
    let code = DEPLOYMENT.replace("replicas: 3", "replicas: \"3\"");
    let found = found(&fence("yaml", &code), &SCHEMA);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (15, 13), "at the value");
    assert!(found[0].2.contains("`spec.replicas`"), "{}", found[0].2);
    assert!(found[0].3.contains("without quotes"), "{}", found[0].3);
    let env = DEPLOYMENT.replace("value: \"production\"", "value: 8080");
    let found = super::tests::found(&fence("yaml", &env), &SCHEMA);
    assert!(
        found[0].2.contains("containers[0].env[0].value"),
        "{}",
        found[0].2
    );
    assert!(found[0].3.contains("quote the value"), "{}", found[0].3);
}

const HEREDOC: &str = "\
kubectl create namespace demo
cat <<EOF | kubectl apply -f -
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
spec:
  selector:
    app: web
    tier: anything
  ports:
  - port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: $REPLICAS
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres:${PG_VERSION}
        ports:
        - containerPort: ${PORT}
        env:
        - name: PASSWORD
          value: $(openssl rand -hex 8)
EOF
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {user: admin}
YAML
";

#[test]
fn heredoc_manifests_with_shell_variables_are_quiet() {
    assert_eq!(manifest_rules(&fence("bash", HEREDOC)), Vec::<&str>::new());
}

#[test]
fn every_document_of_every_heredoc_is_checked() {
    let code = HEREDOC
        .replace("          value: $(", "          valu: $(")
        .replace("stringData:", "stringDta:");
    let found = found(&fence("bash", &code), &SCHEMA);
    let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
    assert_eq!(lines, [43, 49], "{found:?}");
}

#[test]
fn tab_stripping_heredocs_and_console_transcripts_are_read() {
    let tabs = "kubectl apply -f - <<-EOF\n\tapiVersion: v1\n\tkind: Pod\n\tmetadata: {name: x}\n\tspec: {containers: [{name: x, image: x, bogus: 1}]}\n\tEOF\n";
    assert_eq!(manifest_rules(&fence("bash", tabs)), [SCHEMA.id]);
    let console = "$ cat <<EOF | kubectl apply -f -\n> apiVersion: v1\n> kind: Namespace\n> metadata: {name: x, labelz: {}}\n> spek: 1\n> EOF\nnamespace/x created\n";
    let found = found(&fence("console", console), &SCHEMA);
    let places: Vec<(usize, usize)> = found.iter().map(|f| (f.0, f.1)).collect();
    assert_eq!(
        places,
        [(9, 23), (10, 3)],
        "an empty unknown field too: {found:?}"
    );
}

#[test]
fn selector_mismatch_is_reported_at_the_selector_label() {
    let code = DEPLOYMENT.replace(
        "      app: web\n    matchExpressions",
        "      app: nginx\n    matchExpressions",
    );
    let found = found(&fence("yaml", &code), &SELECTOR_MISMATCH);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (24, 7));
    assert_eq!(
        found[0].3,
        "the template has `app: web`: make the selector and `spec.template.metadata.labels` agree"
    );
}

#[test]
fn selector_expressions_and_missing_selectors_are_checked() {
    let code = DEPLOYMENT.replace("values: [frontend, edge]", "values: [backend]");
    assert_eq!(
        manifest_rules(&fence("yaml", &code)),
        [SELECTOR_MISMATCH.id]
    );
    let missing = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: x, image: x}]}\n";
    let found = found(&fence("yaml", missing), &SELECTOR_MISMATCH);
    assert_eq!(
        found[0].3,
        "add `selector: {matchLabels: {app: x}}` under `spec`"
    );
}

#[test]
fn service_selectors_and_jobs_without_selectors_are_quiet() {
    let md = fence(
        "yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  selector: {app: other}\n  ports: [{port: 80}]\n---\n\
         apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    metadata: {labels: {app: j}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: j, image: busybox, command: [\"true\"]}]\n",
    );
    assert_eq!(manifest_rules(&md), Vec::<&str>::new());
}

#[test]
fn lint_allow_silences_one_rule() {
    let md =
        "```yaml lint-allow=k8s-unknown-kind\napiVersion: apps/v1beta2\nkind: Deployment\n```\n";
    assert_eq!(manifest_rules(md), Vec::<&str>::new());
}

#[test]
fn templates_are_not_yaml_yet() {
    let md = fence(
        "yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    assert_eq!(manifest_rules(&md), Vec::<&str>::new());
}

proptest::proptest! {
    #[test]
    fn never_panics_on_any_snippet(code in "(?s).{0,400}") {
        for lang in ["yaml", "bash", "console"] {
            for finding in check_code(&code, lang) {
                proptest::prop_assert!(finding.range.start <= code.len());
            }
        }
    }

    #[test]
    fn never_panics_on_manifest_like_snippets(
        lines in proptest::collection::vec(
            r"( {0,6}|\t)(- )?(apiVersion|kind|metadata|spec|selector|matchLabels|labels|template|containers|name|replicas|app|<<|\x22x\x22|&a|\*a|!!str)(: ?)?(v1|apps/v1|Deployment|Pod|Service|3|\x223\x22|\$X|\[|\]|\{|\}|~|yes|-1e9|é|\x22|'|\|)?",
            0..40,
        )
    ) {
        let yaml = lines.join("\n");
        let _ = check_code(&yaml, "yml");
        let heredoc = format!("cat <<EOF | kubectl apply -f -\n{yaml}\nEOF\n");
        let _ = check_code(&heredoc, "shell");
    }
}

#[test]
fn three_mistakes_in_one_manifest_are_three_findings_at_their_own_lines() {
    // A wrong type does not hide the unknown field after it, and an empty unknown field counts.
    let code = DEPLOYMENT
        .replace("replicas: 3", "replicas: three")
        .replace(
            "        imagePullPolicy: IfNotPresent\n",
            "        imagePullPolicy: Sometimes\n        containerz: []\n",
        );
    let found = found(&fence("yaml", &code), &SCHEMA);
    let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
    assert_eq!(lines, [15, 42, 43], "{found:?}");
    assert!(
        found[0]
            .2
            .contains("expected a whole number, found a string"),
        "{}",
        found[0].2
    );
    assert_eq!(
        found[1].2,
        "`Sometimes` is not a value of `spec.template.spec.containers[0].imagePullPolicy`"
    );
    assert!(
        found[1].3.contains("Always, Never, IfNotPresent"),
        "{}",
        found[1].3
    );
    assert!(
        found[2]
            .2
            .contains("unknown field `spec.template.spec.containers[0].containerz`"),
        "{}",
        found[2].2
    );
    assert!(
        found[2].3.contains("did you mean `containers`?") || found[2].3.contains("kubectl explain"),
        "{}",
        found[2].3
    );
}

#[test]
fn missing_required_fields_and_case_slips_in_values_are_named() {
    let code = DEPLOYMENT.replace(
        "      - name: nginx\n        image: nginx:1.27\n",
        "      - image: nginx:1.27\n",
    );
    let found_missing = found(&fence("yaml", &code), &SCHEMA);
    assert_eq!(found_missing.len(), 1, "{found_missing:?}");
    assert_eq!(
        found_missing[0].2,
        "missing required field `spec.template.spec.containers[0].name` in Deployment (apps/v1)"
    );
    let code = DEPLOYMENT.replace("operator: Exists", "operator: exists");
    let slipped = found(&fence("yaml", &code), &SCHEMA);
    assert!(
        slipped.is_empty() || slipped[0].3.contains("case-sensitive"),
        "{slipped:?}"
    );
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Sometimes\n  containers: [{name: c, image: busybox, ports: [{containerPort: 80, protocol: tcp}]}]\n";
    let found = found(&fence("yaml", pod), &SCHEMA);
    let messages: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(found[1].3.contains("write `TCP`"), "{found:?}");
}

#[test]
fn values_the_reader_supplies_have_no_type_to_check() {
    let code = DEPLOYMENT
        .replace("replicas: 3", "replicas: $REPLICAS")
        .replace("imagePullPolicy: IfNotPresent", "imagePullPolicy: <policy>");
    assert_eq!(found(&fence("yaml", &code), &SCHEMA), Vec::new());
}

#[test]
fn every_shell_language_gets_every_shell_rule() {
    let heredoc = "cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x, bogus: 1}]}\nEOF\nsudo systemctl restart kube-apiserver\n";
    let transcript = "$ cat <<EOF | kubectl apply -f -\n> apiVersion: v1\n> kind: Pod\n> metadata: {name: p}\n> spec: {containers: [{name: c, image: x, bogus: 1}]}\n> EOF\npod/p created\n$ sudo systemctl restart kube-apiserver\n";
    for (lang, code) in [
        ("bash", heredoc),
        ("sh", heredoc),
        ("shell", heredoc),
        ("zsh", heredoc),
        ("console", transcript),
        ("shell-session", transcript),
        ("bash", transcript),
    ] {
        let rules = rules_in(&fence(lang, code));
        assert!(rules.contains(&SCHEMA.id), "{lang}: {rules:?}");
        assert!(rules.contains(&"systemctl-static-pod"), "{lang}: {rules:?}");
    }
}
