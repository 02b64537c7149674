//! Bounds on evaluating Terraform expressions, so that no input can exhaust memory or time.
//!
//! hcl-rs evaluates an expression without limits: forty locals that each double the one before
//! (`a1 = "${local.a0}${local.a0}"`) build a string of 2⁴⁰ bytes. Before anything is evaluated,
//! [`Estimate`] computes from the expression alone, and from the sizes of the values it refers
//! to, an upper bound of the size of the value it builds (text bytes, plus one unit per item,
//! entry and scalar) and of how deeply that value nests; a `for` multiplies its body's bound by
//! its collection's size. The size bound is also a bound on the work of the evaluation (every
//! step of it builds or copies part of the value). An expression whose bound is over
//! [`MAX_VALUE_SIZE`] or [`MAX_DEPTH`], or that would take one conversion's evaluations over
//! [`MAX_TOTAL_SIZE`], is not evaluated. The parser (hcl-edit) already refuses expressions
//! nested more than 64 levels deep, which bounds the walk itself.

use std::collections::{BTreeMap, BTreeSet};

use hcl::edit::expr::{Expression as Expr, ObjectKey, TraversalOperator};
use hcl::edit::template::{Directive, Element, Template};

/// The most one evaluated value may hold, in units of [`size_of`] (about bytes of text).
pub(crate) const MAX_VALUE_SIZE: u64 = 1 << 20;
/// The most all the evaluations of one conversion may build together.
pub(crate) const MAX_TOTAL_SIZE: u64 = 64 << 20;
/// How deeply an evaluated value may nest lists and objects.
pub(crate) const MAX_DEPTH: u32 = 128;

/// The size a number or an operation's result counts for (the longest text of an `f64`).
const SCALAR: u64 = 32;

/// An upper bound of what a value holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Bound {
    /// Text bytes plus one per item, entry and scalar.
    pub size: u64,
    /// Levels of lists and objects.
    pub depth: u32,
}

impl Bound {
    const UNIT: Bound = Bound { size: 1, depth: 0 };

    fn plus(self, other: Bound) -> Bound {
        Bound {
            size: self.size.saturating_add(other.size),
            depth: self.depth.max(other.depth),
        }
    }

    fn nested(self) -> Bound {
        Bound {
            size: self.size.saturating_add(1),
            depth: self.depth.saturating_add(1),
        }
    }

    /// Why a value of this bound is not evaluated, when it is over a limit; `spent` is what the
    /// conversion's evaluations built so far.
    pub fn refusal(self, spent: u64) -> Option<String> {
        if self.size > MAX_VALUE_SIZE {
            Some(format!(
                "its value could take {} (over {}, mfactl's bound for one evaluated value)",
                human(self.size),
                human(MAX_VALUE_SIZE)
            ))
        } else if self.depth > MAX_DEPTH {
            Some(format!(
                "its value could nest more than {MAX_DEPTH} levels deep (mfactl's bound)"
            ))
        } else if spent.saturating_add(self.size) > MAX_TOTAL_SIZE {
            Some(format!(
                "the values evaluated before it already take about {} (mfactl's bound for one conversion is {})",
                human(spent),
                human(MAX_TOTAL_SIZE)
            ))
        } else {
            None
        }
    }
}

/// `1.5 MiB`, `3 KiB`, `120 bytes`; past what a `u64` counts, "more than 16 EiB".
fn human(size: u64) -> String {
    if size == u64::MAX {
        return "more than 16 EiB".into();
    }
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = size as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{size} bytes")
    } else {
        format!("{value:.1} {}", units[unit])
    }
}

/// What a value holds, in the units of [`Bound`]. Values here were bounded before they were
/// built, so the recursion is at most [`MAX_DEPTH`] deep.
pub(crate) fn size_of(value: &hcl::Value) -> Bound {
    match value {
        hcl::Value::Null | hcl::Value::Bool(_) => Bound::UNIT,
        hcl::Value::Number(_) => Bound {
            size: SCALAR,
            depth: 0,
        },
        hcl::Value::String(s) => Bound {
            size: s.len() as u64 + 1,
            depth: 0,
        },
        hcl::Value::Array(items) => items
            .iter()
            .map(size_of)
            .fold(Bound::default(), Bound::plus)
            .nested(),
        hcl::Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                size_of(v).plus(Bound {
                    size: k.len() as u64,
                    depth: 0,
                })
            })
            .fold(Bound::default(), Bound::plus)
            .nested(),
    }
}

/// A value an expression may refer to: `var.NAME` or `local.NAME`.
pub(crate) type Name = (&'static str, String);

/// The bound of an expression, given the bounds of the values it may refer to; the walk also
/// collects the `var.*` and `local.*` it refers to.
pub(crate) struct Estimate<'a> {
    known: &'a BTreeMap<Name, Bound>,
    /// `for` variables in scope, innermost last.
    iterators: Vec<(String, Bound)>,
    /// What the expression refers to.
    pub refers_to: BTreeSet<Name>,
    /// Whether it uses `var` or `local` as a whole.
    pub whole: bool,
}

impl<'a> Estimate<'a> {
    pub fn new(known: &'a BTreeMap<Name, Bound>) -> Self {
        Estimate {
            known,
            iterators: Vec::new(),
            refers_to: BTreeSet::new(),
            whole: false,
        }
    }

    /// The bound of `expr`'s value (and of the work of evaluating it).
    pub fn of(&mut self, expr: &Expr) -> Bound {
        match expr {
            Expr::Null(_) | Expr::Bool(_) => Bound::UNIT,
            Expr::Number(_) => Bound {
                size: SCALAR,
                depth: 0,
            },
            Expr::String(s) => Bound {
                size: s.len() as u64 + 1,
                depth: 0,
            },
            Expr::Array(array) => array
                .iter()
                .map(|item| self.of(item))
                .fold(Bound::default(), Bound::plus)
                .nested(),
            Expr::Object(object) => {
                let mut bound = Bound::default();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => Bound {
                            size: ident.as_str().len() as u64,
                            depth: 0,
                        },
                        ObjectKey::Expression(expr) => self.of(expr),
                    };
                    bound = bound.plus(key).plus(self.of(value.expr()));
                }
                bound.nested()
            }
            Expr::StringTemplate(template) => self.template(template),
            Expr::HeredocTemplate(heredoc) => self.template(&heredoc.template),
            Expr::Parenthesis(inner) => self.of(inner.inner()),
            Expr::Variable(name) => self.variable(name.as_str()),
            Expr::Conditional(c) => {
                let cond = self.of(&c.cond_expr);
                let t = self.of(&c.true_expr);
                let f = self.of(&c.false_expr);
                cond.plus(t).plus(f)
            }
            Expr::FuncCall(call) => call
                .args
                .iter()
                .map(|arg| self.of(arg))
                .fold(Bound::UNIT, Bound::plus),
            Expr::Traversal(traversal) => {
                let root = match (&traversal.expr, traversal.operators.first().map(|o| &**o)) {
                    (Expr::Variable(root), Some(TraversalOperator::GetAttr(name)))
                        if matches!(root.as_str(), "var" | "local")
                            && !self.is_iterator(root.as_str()) =>
                    {
                        let name: Name = (namespace(root.as_str()), name.as_str().to_string());
                        let bound = self.known.get(&name).copied().unwrap_or(Bound::UNIT);
                        self.refers_to.insert(name);
                        bound
                    }
                    (expr, _) => self.of(expr),
                };
                let mut bound = root;
                for op in &traversal.operators {
                    match &**op {
                        TraversalOperator::Index(index) => {
                            let index = self.of(index);
                            bound.size = bound.size.saturating_add(index.size);
                        }
                        // A splat builds a list of parts of the root's items.
                        TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                            bound = bound.plus(root).nested();
                        }
                        _ => {}
                    }
                }
                bound
            }
            Expr::UnaryOp(op) => self.of(&op.expr).plus(Bound {
                size: SCALAR,
                depth: 0,
            }),
            Expr::BinaryOp(op) => {
                let lhs = self.of(&op.lhs_expr);
                let rhs = self.of(&op.rhs_expr);
                lhs.plus(rhs).plus(Bound {
                    size: SCALAR,
                    depth: 0,
                })
            }
            Expr::ForExpr(for_expr) => {
                let intro = &for_expr.intro;
                let collection = self.of(&intro.collection_expr);
                let body = self.with_loop_variables(
                    intro.value_var.as_str(),
                    intro.key_var.as_ref().map(|k| k.as_str()),
                    collection,
                    |this| {
                        let mut body = this.of(&for_expr.value_expr);
                        if let Some(key) = &for_expr.key_expr {
                            body = body.plus(this.of(key));
                        }
                        if let Some(cond) = &for_expr.cond {
                            body = body.plus(this.of(&cond.expr));
                        }
                        body
                    },
                );
                repeated(collection, body).nested().nested()
            }
        }
    }

    /// The bound of a `for` body, with its value (and key) variables bound to an element of a
    /// collection bounded by `collection` while it is worked out.
    fn with_loop_variables(
        &mut self,
        value: &str,
        key: Option<&str>,
        collection: Bound,
        body: impl FnOnce(&mut Self) -> Bound,
    ) -> Bound {
        let before = self.iterators.len();
        self.iterators.push((value.to_string(), collection));
        if let Some(key) = key {
            self.iterators.push((key.to_string(), collection));
        }
        let bound = body(self);
        self.iterators.truncate(before);
        bound
    }

    fn is_iterator(&self, name: &str) -> bool {
        self.iterators.iter().any(|(n, _)| n == name)
    }

    fn variable(&mut self, name: &str) -> Bound {
        if let Some((_, bound)) = self.iterators.iter().rev().find(|(n, _)| n == name) {
            return *bound;
        }
        if !matches!(name, "var" | "local") {
            return Bound::UNIT;
        }
        self.whole = true;
        let namespace = namespace(name);
        self.known
            .iter()
            .filter(|((root, _), _)| *root == namespace)
            .map(|((_, n), b)| {
                b.plus(Bound {
                    size: n.len() as u64,
                    depth: 0,
                })
            })
            .fold(Bound::default(), Bound::plus)
            .nested()
    }

    fn template(&mut self, template: &Template) -> Bound {
        let mut bound = Bound::UNIT;
        for element in template.iter() {
            let part = match element {
                Element::Literal(text) => Bound {
                    size: text.len() as u64,
                    depth: 0,
                },
                Element::Interpolation(interpolation) => self.of(&interpolation.expr),
                Element::Directive(directive) => match &**directive {
                    Directive::If(d) => {
                        let cond = self.of(&d.if_expr.cond_expr);
                        let then = self.template(&d.if_expr.template);
                        let otherwise = match &d.else_expr {
                            Some(e) => self.template(&e.template),
                            None => Bound::default(),
                        };
                        cond.plus(then).plus(otherwise)
                    }
                    Directive::For(d) => {
                        let intro = &d.for_expr;
                        let collection = self.of(&intro.collection_expr);
                        let body = self.with_loop_variables(
                            intro.value_var.as_str(),
                            intro.key_var.as_ref().map(|k| k.as_str()),
                            collection,
                            |this| this.template(&intro.template),
                        );
                        repeated(collection, body)
                    }
                },
            };
            bound = bound.plus(part);
        }
        // Text: whatever it interpolates, the result does not nest.
        Bound {
            size: bound.size,
            depth: 0,
        }
    }
}

/// A body evaluated once per item of `collection` (it has at most `collection.size` items).
fn repeated(collection: Bound, body: Bound) -> Bound {
    Bound {
        size: collection
            .size
            .saturating_add(collection.size.saturating_mul(body.size.saturating_add(1))),
        depth: collection.depth.max(body.depth),
    }
}

fn namespace(root: &str) -> &'static str {
    if root == "var" { "var" } else { "local" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(text: &str, known: &[(&'static str, &str, u64)]) -> Bound {
        let known: BTreeMap<Name, Bound> = known
            .iter()
            .map(|(root, name, size)| {
                (
                    (*root, name.to_string()),
                    Bound {
                        size: *size,
                        depth: 0,
                    },
                )
            })
            .collect();
        let expr: Expr = text.parse().unwrap();
        Estimate::new(&known).of(&expr)
    }

    #[test]
    fn doubling_strings_are_bounded_before_they_are_built() {
        let b = bound(
            r#""${local.a}${local.a}""#,
            &[("local", "a", MAX_VALUE_SIZE)],
        );
        assert!(b.size >= 2 * MAX_VALUE_SIZE, "{b:?}");
        assert!(b.refusal(0).is_some());
        assert!(
            bound(r#""${local.a}${local.a}""#, &[("local", "a", 10)])
                .refusal(0)
                .is_none()
        );
    }

    #[test]
    fn nested_fors_multiply() {
        let list = format!("[{}]", vec!["1"; 1000].join(","));
        let text = format!("[for x in {list} : [for y in {list} : [for z in {list} : z]]]");
        let b = bound(&text, &[]);
        assert!(b.size > 1_000_000_000, "{b:?}");
        let text = "%{for x in local.l}${local.s}%{endfor}";
        let b = bound(
            &format!("\"{text}\""),
            &[("local", "l", 1000), ("local", "s", 1000)],
        );
        assert!(b.size >= 1_000_000, "{b:?}");
    }

    #[test]
    fn references_are_collected_and_iterators_are_not() {
        let known = BTreeMap::new();
        let expr: Expr = "[for var in local.l : var.x if var.ok] == var.y"
            .parse()
            .unwrap();
        let mut estimate = Estimate::new(&known);
        estimate.of(&expr);
        let names: Vec<String> = estimate
            .refers_to
            .iter()
            .map(|(r, n)| format!("{r}.{n}"))
            .collect();
        assert_eq!(names, ["local.l", "var.y"]);
    }

    #[test]
    fn sizes_are_shown_in_units() {
        assert_eq!(human(120), "120 bytes");
        assert_eq!(human(3 << 29), "1.5 GiB");
        assert_eq!(human(u64::MAX), "more than 16 EiB");
    }
}
