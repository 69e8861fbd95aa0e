//! The Kubernetes API's objects as data: the kinds it serves and every object's fields, their
//! types, which are required and which values they allow. Read once from
//! `data/k8s-schema.txt`, which `data/gen-k8s-schema.py` generates from Kubernetes' own JSON
//! schemas (PyPI's `kubernetes-validate`; the format is in the script's header).

use std::collections::HashMap;
use std::sync::LazyLock;

/// The generated table, as committed.
const TABLE_TEXT: &str = include_str!("../../data/k8s-schema.txt");

/// The table, parsed on first use.
pub(crate) static API: LazyLock<Api> = LazyLock::new(|| Api::parse(TABLE_TEXT));

/// The type of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Type {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Anything (an embedded object, raw JSON).
    Any,
    /// A number or a name (`targetPort: 8080` or `targetPort: http`).
    IntOrString,
    /// A resource quantity: `500m`, `1Gi`, `2`.
    Quantity,
    /// An object of the named definition.
    Object(&'static str),
    /// A list of values of a type.
    List(Box<Type>),
    /// A map from names to values of a type.
    Map(Box<Type>),
}

impl Type {
    fn parse(text: &'static str) -> Type {
        if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            return Type::List(Box::new(Type::parse(inner)));
        }
        if let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            return Type::Map(Box::new(Type::parse(inner)));
        }
        if let Some(name) = text.strip_prefix('@') {
            return Type::Object(name);
        }
        match text {
            "string" => Type::String,
            "integer" => Type::Integer,
            "number" => Type::Number,
            "boolean" => Type::Boolean,
            "int-or-string" => Type::IntOrString,
            "quantity" => Type::Quantity,
            _ => Type::Any,
        }
    }

    /// What a reader calls a value of this type.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Type::String => "a string",
            Type::Integer => "a whole number",
            Type::Number => "a number",
            Type::Boolean => "true or false",
            Type::Any => "any value",
            Type::IntOrString => "a number or a name",
            Type::Quantity => "a quantity (like `500m` or `1Gi`)",
            Type::Object(_) => "an object (`key: value` lines)",
            Type::List(_) => "a list (`- item` lines)",
            Type::Map(_) => "a map (`name: value` lines)",
        }
    }
}

/// A field of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    /// Its name.
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
    /// Whether the API refuses an object without it.
    pub required: bool,
    /// The values it allows, when the schema names them.
    pub values: Vec<&'static str>,
}

/// An object definition.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Def {
    /// Whether fields it does not list are allowed.
    pub open: bool,
    /// Its fields, by name order.
    pub fields: Vec<Field>,
    /// The plain type it stands for, when it is not an object.
    pub alias: Option<Type>,
}

impl Def {
    /// The field called `name`.
    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A kind the API serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Kind {
    /// `apps/v1`, or `v1` for the core group.
    pub api_version: String,
    /// `apps` (`""` for the core group).
    pub group: &'static str,
    /// `Deployment`.
    pub kind: &'static str,
    /// Its definition's name.
    pub def: &'static str,
}

/// Every kind and definition of the table.
#[derive(Debug, Default)]
pub(crate) struct Api {
    /// The kinds, in table order (by group, version and kind).
    pub kinds: Vec<Kind>,
    defs: HashMap<&'static str, Def>,
}

impl Api {
    /// The definition called `name`.
    pub(crate) fn def(&self, name: &str) -> Option<&Def> {
        self.defs.get(name)
    }

    fn parse(text: &'static str) -> Api {
        let mut api = Api::default();
        let mut current: Option<(&'static str, Def)> = None;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let cells: Vec<&'static str> = line.split('\t').collect();
            match cells.as_slice() {
                ["", name, ty, rest @ ..] => {
                    if let Some((_, def)) = current.as_mut() {
                        def.fields.push(Field {
                            name,
                            ty: Type::parse(ty),
                            required: rest.first() == Some(&"required"),
                            values: rest
                                .get(1)
                                .map(|v| v.split('|').filter(|v| !v.is_empty()).collect())
                                .unwrap_or_default(),
                        });
                    }
                }
                ["kind", group, version, kind, def] => api.kinds.push(Kind {
                    api_version: match *group {
                        "" => (*version).to_owned(),
                        group => format!("{group}/{version}"),
                    },
                    group,
                    kind,
                    def,
                }),
                ["def", name, rest @ ..] => {
                    api.finish(current.take());
                    let def = Def {
                        open: rest.first() == Some(&"open"),
                        ..Def::default()
                    };
                    current = Some((name, def));
                }
                ["alias", name, ty] => {
                    api.finish(current.take());
                    let def = Def {
                        open: true,
                        alias: Some(Type::parse(ty)),
                        ..Def::default()
                    };
                    api.defs.insert(name, def);
                }
                _ => {}
            }
        }
        api.finish(current);
        api
    }

    fn finish(&mut self, def: Option<(&'static str, Def)>) {
        if let Some((name, def)) = def {
            self.defs.insert(name, def);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_table_knows_the_workloads_and_their_fields() {
        let deployment = API
            .kinds
            .iter()
            .find(|k| k.api_version == "apps/v1" && k.kind == "Deployment")
            .expect("Deployment");
        assert_eq!(deployment.group, "apps");
        let spec = API.def("api.apps.v1.DeploymentSpec").expect("spec");
        assert!(spec.field("selector").is_some_and(|f| f.required));
        assert!(!spec.open);
        let container = API.def("api.core.v1.Container").expect("container");
        let policy = container.field("imagePullPolicy").expect("imagePullPolicy");
        assert_eq!(policy.values, ["Always", "Never", "IfNotPresent"]);
        assert_eq!(
            container.field("ports").map(|f| &f.ty),
            Some(&Type::List(Box::new(Type::Object(
                "api.core.v1.ContainerPort"
            ))))
        );
        assert_eq!(
            API.def("apimachinery.pkg.util.intstr.IntOrString")
                .and_then(|d| d.alias.clone()),
            Some(Type::IntOrString)
        );
        assert!(API
            .kinds
            .iter()
            .any(|k| k.api_version == "v1" && k.kind == "Pod"));
    }

    #[test]
    fn types_nest() {
        assert_eq!(
            Type::parse("{[@a.B]}"),
            Type::Map(Box::new(Type::List(Box::new(Type::Object("a.B")))))
        );
        assert_eq!(Type::parse("quantity"), Type::Quantity);
    }
}
