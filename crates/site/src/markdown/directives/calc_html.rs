//! The markup of a calculator widget: a form for the page's script, and the result rendered
//! now by the same `coursebook-calc` code, for readers without JavaScript and for print.

use coursebook_calc::{iptables, quorum, CalcError, Calculator};

use crate::markdown::escape_attr;

/// The widget for `calculator`.
pub fn widget(calculator: &Calculator) -> Result<String, CalcError> {
    let fallback = calculator.render_html()?;
    let kind = calculator.kind();
    let mut html =
        format!("<div class=\"calc\" data-calc=\"{kind}\">\n<form class=\"calc-form\" hidden>");
    for (name, value) in calculator.args() {
        input(&mut html, name, &value);
    }
    if kind == "iptables" {
        html.push_str(&format!(
            "<label>Connections <input type=\"number\" name=\"connections\" data-sim value=\"10000\" \
             min=\"1\" max=\"{}\"></label> <button type=\"button\" class=\"calc-simulate\">Simulate</button>",
            iptables::MAX_CONNECTIONS
        ));
    }
    html.push_str("</form>\n<div class=\"calc-output\" aria-live=\"polite\">");
    html.push_str(&fallback);
    html.push_str("</div>\n");
    if kind == "iptables" {
        html.push_str("<div class=\"calc-simulation\" aria-live=\"polite\"></div>\n");
    }
    html.push_str("<p class=\"calc-error\" role=\"alert\" hidden></p>\n</div>\n");
    Ok(html)
}

fn input(html: &mut String, name: &str, value: &str) {
    let (label, attrs) = match name {
        "members" => (
            "Members",
            format!("type=\"number\" min=\"1\" max=\"{}\"", quorum::MAX_MEMBERS),
        ),
        "endpoints" => (
            "Endpoints",
            format!(
                "type=\"number\" min=\"1\" max=\"{}\"",
                iptables::MAX_ENDPOINTS
            ),
        ),
        "node-mask" => (
            "Per-node mask",
            "type=\"number\" min=\"0\" max=\"128\"".to_owned(),
        ),
        "pod-cidr" => ("Pod CIDR", text_attrs()),
        "service-cidr" => ("Service CIDR", text_attrs()),
        _ => (name, text_attrs()),
    };
    html.push_str("<label>");
    html.push_str(label);
    html.push_str(" <input ");
    html.push_str(&attrs);
    html.push_str(" name=\"");
    html.push_str(name);
    html.push_str("\" value=\"");
    escape_attr(html, value);
    html.push_str("\"></label> ");
}

fn text_attrs() -> String {
    "type=\"text\" spellcheck=\"false\" autocomplete=\"off\" size=\"18\"".to_owned()
}
