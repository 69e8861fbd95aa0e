//! Address capacity: how many nodes a pod CIDR serves at a per-node mask, how many pods each
//! node gets, and how many ClusterIPs a service CIDR holds.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;

use crate::html::{grouped, Table};
use crate::CalcError;

/// kube-apiserver refuses service ranges with more host bits than this (/12 for IPv4,
/// /108 for IPv6).
pub const MAX_SERVICE_HOST_BITS: u8 = 20;

/// The kubelet's default `--max-pods`.
pub const DEFAULT_MAX_PODS: u128 = 110;

/// The inputs as written, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CidrInput {
    /// The cluster's pod CIDR (`--cluster-cidr`).
    pub pod_cidr: IpNet,
    /// The prefix length of each node's slice (`--node-cidr-mask-size`).
    pub node_mask: u8,
    /// The service CIDR (`--service-cluster-ip-range`).
    pub service_cidr: IpNet,
}

/// What the inputs give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capacity {
    /// The inputs, with host bits cleared.
    pub input: CidrInput,
    /// Node slices in the pod CIDR.
    pub nodes: u128,
    /// Addresses in each node's slice.
    pub addresses_per_node: u128,
    /// Pod IPs each node can hand out (network and broadcast excluded for IPv4).
    pub pods_per_node: u128,
    /// Addresses in the service CIDR.
    pub service_addresses: u128,
    /// ClusterIPs that can be assigned.
    pub services: u128,
    /// Whether kube-apiserver would accept the service range.
    pub service_range_accepted: bool,
}

impl CidrInput {
    /// Parses `pod-cidr`, `node-mask` and `service-cidr`, defaulting to kubeadm's usual values.
    pub fn from_args(pairs: &[(&str, &str)]) -> Result<CidrInput, CalcError> {
        crate::only_keys("cidr", pairs, "pod-cidr, node-mask, service-cidr")?;
        let get = |key: &str, default: &'static str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map_or(default, |(_, v)| *v)
        };
        let pod_cidr = parse_net("pod-cidr", get("pod-cidr", "10.244.0.0/16"))?;
        let service_cidr = parse_net("service-cidr", get("service-cidr", "10.96.0.0/12"))?;
        let node_mask = crate::parse_in_range(
            "node-mask",
            get("node-mask", "24"),
            0..=u32::from(pod_cidr.max_prefix_len()),
        )?;
        Ok(CidrInput {
            pod_cidr,
            // parse_in_range bounded it by 128.
            node_mask: u8::try_from(node_mask).unwrap_or(u8::MAX),
            service_cidr,
        })
    }

    /// The arguments as the widget's inputs show them.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        vec![
            ("pod-cidr", self.pod_cidr.to_string()),
            ("node-mask", self.node_mask.to_string()),
            ("service-cidr", self.service_cidr.to_string()),
        ]
    }

    /// The capacity, or why the combination is impossible.
    pub fn evaluate(&self) -> Result<Capacity, CalcError> {
        let pod = self.pod_cidr;
        if self.node_mask < pod.prefix_len() {
            return Err(CalcError::BadValue {
                key: "node-mask".into(),
                message: format!(
                    "a /{} slice is larger than the pod CIDR {pod} itself: enter {} or more",
                    self.node_mask,
                    pod.prefix_len()
                ),
            });
        }
        let ipv4 = matches!(pod, IpNet::V4(_));
        let node_host_bits = pod.max_prefix_len() - self.node_mask;
        let addresses_per_node = pow2(node_host_bits);
        let reserved = if ipv4 { 2 } else { 1 };
        let service_host_bits = self.service_cidr.max_prefix_len() - self.service_cidr.prefix_len();
        let service_addresses = pow2(service_host_bits);
        let service_reserved = if matches!(self.service_cidr, IpNet::V4(_)) {
            2
        } else {
            1
        };
        Ok(Capacity {
            input: CidrInput {
                pod_cidr: pod.trunc(),
                node_mask: self.node_mask,
                service_cidr: self.service_cidr.trunc(),
            },
            nodes: pow2(self.node_mask - pod.prefix_len()),
            addresses_per_node,
            pods_per_node: addresses_per_node.saturating_sub(reserved),
            service_addresses,
            services: service_addresses.saturating_sub(service_reserved),
            service_range_accepted: service_host_bits <= MAX_SERVICE_HOST_BITS,
        })
    }
}

fn parse_net(key: &str, value: &str) -> Result<IpNet, CalcError> {
    value.trim().parse().map_err(|_| CalcError::BadValue {
        key: key.to_owned(),
        message: if value.trim().is_empty() {
            "enter a CIDR such as 10.244.0.0/16".to_owned()
        } else {
            format!(
                "enter a CIDR such as 10.244.0.0/16 (“{}” is not one)",
                value.trim()
            )
        },
    })
}

/// 2^bits, saturating at u128::MAX for a whole IPv6 space.
fn pow2(bits: u8) -> u128 {
    1u128.checked_shl(u32::from(bits)).unwrap_or(u128::MAX)
}

impl Capacity {
    /// A sentence and a table of the figures.
    pub fn render_html(&self) -> String {
        let input = &self.input;
        let mut html = format!(
            "<p class=\"calc-result\">The pod CIDR <code>{}</code> cut into <code>/{}</code> \
             slices serves <strong>{}</strong> node{} with <strong>{}</strong> pod IP{} each; the \
             kubelet runs at most {} pods per node by default (<code>--max-pods</code>). ",
            input.pod_cidr,
            input.node_mask,
            grouped(self.nodes),
            plural(self.nodes),
            grouped(self.pods_per_node),
            plural(self.pods_per_node),
            DEFAULT_MAX_PODS,
        );
        if self.services == 0 {
            html.push_str(&format!(
                "The service CIDR <code>{}</code> holds <strong>no</strong> assignable ClusterIP, \
                 so not even the <code>kubernetes</code> Service gets one.</p>",
                input.service_cidr
            ));
        } else {
            html.push_str(&format!(
                "The service CIDR <code>{}</code> holds <strong>{}</strong> ClusterIP{}; the \
                 first, {}, goes to the <code>kubernetes</code> Service.</p>",
                input.service_cidr,
                grouped(self.services),
                plural(self.services),
                kubernetes_ip(&input.service_cidr),
            ));
        }
        if self.pods_per_node == 0 {
            html.push_str(&format!(
                "<p class=\"calc-warning\">A /{} slice leaves no address for a pod: choose a \
                 shorter per-node mask (kubeadm uses /24 for IPv4 and /64 for IPv6).</p>",
                input.node_mask
            ));
        }
        if self.services == 0 {
            html.push_str(
                "<p class=\"calc-warning\">This service range is too small: the network \
                 address (and for IPv4 the broadcast address) cannot be assigned, so choose a \
                 shorter prefix.</p>",
            );
        }
        if !self.service_range_accepted {
            html.push_str(
                "<p class=\"calc-warning\">kube-apiserver refuses this service range: it allows \
                 at most 20 host bits (/12 for IPv4, /108 for IPv6).</p>",
            );
        }
        Table {
            caption: "Address capacity",
            head: &["Quantity", "Value"],
            rows: vec![
                row("Nodes (pod CIDR slices)", self.nodes),
                row("Addresses per node", self.addresses_per_node),
                row("Pod IPs per node", self.pods_per_node),
                row("Service CIDR addresses", self.service_addresses),
                row("Assignable ClusterIPs", self.services),
            ],
            current: None,
        }
        .render(&mut html);
        html
    }
}

fn row(label: &str, value: u128) -> Vec<String> {
    vec![label.to_owned(), grouped(value)]
}

fn plural(n: u128) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The ClusterIP kube-apiserver gives the `kubernetes` Service: the network address plus one,
/// for IPv4 and IPv6 alike (for a range with at least one assignable address).
fn kubernetes_ip(net: &IpNet) -> String {
    match net {
        IpNet::V4(v4) => Ipv4Addr::from(u32::from(v4.network()).wrapping_add(1)).to_string(),
        IpNet::V6(v6) => Ipv6Addr::from(u128::from(v6.network()).wrapping_add(1)).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capacity(args: &[(&str, &str)]) -> Result<Capacity, CalcError> {
        CidrInput::from_args(args)?.evaluate()
    }

    #[test]
    fn kubeadm_defaults() {
        let c = capacity(&[]).expect("valid");
        assert_eq!(
            (c.nodes, c.addresses_per_node, c.pods_per_node),
            (256, 256, 254)
        );
        assert_eq!((c.service_addresses, c.services), (1_048_576, 1_048_574));
        assert!(c.service_range_accepted);
        assert!(c.render_html().contains("the first, 10.96.0.1,"));
    }

    #[test]
    fn node_mask_equal_to_the_pod_prefix_gives_one_node() {
        let c = capacity(&[("pod-cidr", "10.0.0.0/24"), ("node-mask", "24")]).expect("valid");
        assert_eq!((c.nodes, c.pods_per_node), (1, 254));
    }

    #[test]
    fn slash_32_and_31_slices_leave_no_pod_ips() {
        let c = capacity(&[("node-mask", "32")]).expect("valid");
        assert_eq!(
            (c.nodes, c.addresses_per_node, c.pods_per_node),
            (65_536, 1, 0)
        );
        let c = capacity(&[("node-mask", "31")]).expect("valid");
        assert_eq!(c.pods_per_node, 0);
        let html = c.render_html();
        assert!(html.contains("<strong>0</strong> pod IPs each"), "{html}");
        assert!(
            html.contains("class=\"calc-warning\">A /31 slice leaves no address"),
            "{html}"
        );
        assert!(!capacity(&[])
            .expect("valid")
            .render_html()
            .contains("calc-warning"));
    }

    #[test]
    fn a_service_range_without_room_says_so_and_names_no_address() {
        for cidr in ["10.96.0.0/31", "10.96.0.0/32", "fd00::/128"] {
            let c = capacity(&[("service-cidr", cidr)]).expect("valid");
            assert_eq!(c.services, 0, "{cidr}");
            let html = c.render_html();
            assert!(
                html.contains("holds <strong>no</strong> assignable ClusterIP"),
                "{html}"
            );
            assert!(!html.contains("the first,"), "{html}");
            assert!(html.contains("This service range is too small"), "{html}");
        }
        let c = capacity(&[("service-cidr", "10.96.0.0/30")]).expect("valid");
        assert!(c
            .render_html()
            .contains("<strong>2</strong> ClusterIPs; the first, 10.96.0.1,"));
    }

    #[test]
    fn the_kubernetes_service_gets_the_network_address_plus_one_in_ipv6_too() {
        let c = capacity(&[("service-cidr", "fd00:10:96::/112")]).expect("valid");
        let html = c.render_html();
        assert!(html.contains("the first, fd00:10:96::1,"), "{html}");
        let one = capacity(&[("pod-cidr", "10.0.0.0/24"), ("node-mask", "24")]).expect("valid");
        assert!(one
            .render_html()
            .contains("serves <strong>1</strong> node with"));
    }

    #[test]
    fn host_bits_in_the_input_are_cleared() {
        let c = capacity(&[("pod-cidr", "10.244.7.9/16")]).expect("valid");
        assert_eq!(c.input.pod_cidr.to_string(), "10.244.0.0/16");
    }

    #[test]
    fn node_mask_shorter_than_the_pod_prefix_is_an_error() {
        let err = capacity(&[("node-mask", "8")]).expect_err("impossible");
        assert!(
            err.to_string().contains("larger than the pod CIDR"),
            "{err}"
        );
    }

    #[test]
    fn node_mask_past_the_address_length_is_an_error() {
        assert!(capacity(&[("node-mask", "33")]).is_err());
        assert!(capacity(&[("pod-cidr", "fd00::/48"), ("node-mask", "64")]).is_ok());
    }

    #[test]
    fn ipv6_sizes_do_not_overflow() {
        let c = capacity(&[
            ("pod-cidr", "fd00::/48"),
            ("node-mask", "64"),
            ("service-cidr", "fd00:1::/108"),
        ])
        .expect("valid");
        assert_eq!(c.nodes, 65_536);
        assert_eq!(c.addresses_per_node, 1u128 << 64);
        assert_eq!(c.services, (1 << 20) - 1);
        assert!(c.service_range_accepted);
        let whole = capacity(&[("pod-cidr", "::/0"), ("node-mask", "0")]).expect("valid");
        assert_eq!(whole.addresses_per_node, u128::MAX);
    }

    #[test]
    fn oversized_service_ranges_are_flagged() {
        let c = capacity(&[("service-cidr", "10.0.0.0/8")]).expect("valid");
        assert!(!c.service_range_accepted);
        assert!(c.render_html().contains("refuses this service range"));
    }

    #[test]
    fn bad_cidrs_name_the_argument() {
        let err = capacity(&[("pod-cidr", "10.244.0.0")]).expect_err("no prefix");
        assert_eq!(
            err.to_string(),
            "pod-cidr: enter a CIDR such as 10.244.0.0/16 (“10.244.0.0” is not one)"
        );
        assert!(capacity(&[("service-cidr", "nonsense")]).is_err());
    }
}
