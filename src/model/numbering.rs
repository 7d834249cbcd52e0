//! Numbering of body parts from the structure (FORMAT.md §3.7).
//!
//! Structure B: a mục (titled section at the top) is Roman `I.`; khoản are Arabic `1.`, and
//! below an Arabic-numbered parent they are dotted `2.1.`; điểm are letters `a)` in the
//! Vietnamese order (a b c d đ e …). Structure A: Phần and Chương are Roman, Mục Arabic (per
//! chương), Điều Arabic and continuous through the document (restarting in each appendix),
//! khoản inside an Điều restart at `1.`.
//!
//! A literal number in the data is kept as shown, never silently renumbered; the number the
//! structure expects at that place is recorded beside it for the lints. After a literal, the
//! sequence continues from the literal (II → IV → V reports only the jump to IV).

use crate::model::NodeNumber;
use crate::model::number::SectionNumber;

/// The numbered kinds of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbered {
    /// Phần.
    Part,
    /// Chương.
    Chapter,
    /// Mục of structure A.
    Division,
    /// Điều.
    Article,
    /// Titled section of structure B.
    Section,
    /// Numbered paragraph.
    Item,
    /// Điểm.
    Point,
}

/// What a sibling group knows about its parent.
#[derive(Debug, Clone, Default)]
pub struct Parent {
    /// The parent's Arabic number path, when the parent is an Arabic-numbered section or item.
    pub arabic: Option<Vec<u32>>,
    /// True when a Section or Item is an ancestor (so sections here are not mục).
    pub numbered_ancestor: bool,
    /// True when a Roman mục is an ancestor (adds one to the levels below it).
    pub roman_ancestor: bool,
}

/// Counters that run through a whole document part (body, or one appendix).
#[derive(Debug, Default)]
pub struct Numberer {
    chapter: Option<SectionNumber>,
    article: Option<SectionNumber>,
}

/// Counters of one sibling group.
#[derive(Debug, Default)]
pub struct Group {
    part: Option<SectionNumber>,
    division: Option<SectionNumber>,
    roman: Option<SectionNumber>,
    arabic: Option<SectionNumber>,
    letter: Option<SectionNumber>,
    roman_group: Option<bool>,
}

/// The result of numbering one node.
#[derive(Debug, Clone)]
pub struct Assigned {
    /// The number, shown and expected.
    pub number: NodeNumber,
    /// True when the literal could not be read (the expected number is shown instead).
    pub malformed: bool,
}

impl Numberer {
    /// Number one node of `kind` in `group`, with its literal number if written.
    pub fn assign(
        &mut self,
        group: &mut Group,
        kind: Numbered,
        literal: Option<&str>,
        level: Option<u8>,
        parent: &Parent,
    ) -> Assigned {
        let parsed = literal.map(SectionNumber::parse);
        let mut roman_slot = false;
        let slot = match kind {
            Numbered::Chapter => &mut self.chapter,
            Numbered::Article => &mut self.article,
            Numbered::Part => &mut group.part,
            Numbered::Division => &mut group.division,
            Numbered::Point => &mut group.letter,
            Numbered::Item => &mut group.arabic,
            Numbered::Section => {
                let roman = *group.roman_group.get_or_insert_with(|| {
                    roman_group(parent, parsed.as_ref().and_then(Option::as_ref), level)
                });
                roman_slot = roman;
                if roman {
                    &mut group.roman
                } else {
                    &mut group.arabic
                }
            }
        };
        let expected = match slot.as_ref() {
            Some(previous) => previous.next(),
            None => first_number(kind, parent, roman_slot),
        };
        let malformed = matches!(parsed, Some(None));
        let shown = match parsed.clone().flatten() {
            Some(literal) => literal,
            None => expected.clone(),
        };
        let previous = slot.clone();
        *slot = Some(if same_style(&shown, &expected) {
            shown.clone()
        } else {
            expected.clone()
        });
        Assigned {
            number: NodeNumber {
                shown,
                expected,
                previous,
                literal: literal.map(str::to_owned),
            },
            malformed,
        }
    }
}

/// Whether the sections of a group are mục (Roman): at the top of a part, unless the first
/// one is written with an Arabic number or given a level below 1.
fn roman_group(parent: &Parent, first_literal: Option<&SectionNumber>, level: Option<u8>) -> bool {
    if parent.numbered_ancestor {
        return false;
    }
    if let Some(SectionNumber::Arabic(_) | SectionNumber::Letter(_)) = first_literal {
        return false;
    }
    level.is_none_or(|level| level <= 1)
}

fn first_number(kind: Numbered, parent: &Parent, roman: bool) -> SectionNumber {
    match kind {
        Numbered::Part | Numbered::Chapter => SectionNumber::Roman(1),
        Numbered::Section if roman => SectionNumber::Roman(1),
        Numbered::Division | Numbered::Article => SectionNumber::Arabic(vec![1]),
        Numbered::Point => SectionNumber::Letter(0),
        Numbered::Section | Numbered::Item => {
            let mut parts = parent.arabic.clone().unwrap_or_default();
            parts.push(1);
            SectionNumber::Arabic(parts)
        }
    }
}

fn same_style(a: &SectionNumber, b: &SectionNumber) -> bool {
    match (a, b) {
        (SectionNumber::Arabic(x), SectionNumber::Arabic(y)) => x.len() == y.len(),
        _ => std::mem::discriminant(a) == std::mem::discriminant(b),
    }
}

impl Group {
    /// True when this group's sections are Roman mục (after the first section was numbered).
    #[cfg(test)]
    pub fn is_roman(&self) -> bool {
        self.roman_group == Some(true)
    }
}

/// The heading level of a section or item with this number: Roman 1; Arabic by its parts,
/// one deeper under a Roman mục.
pub fn level_of(number: &SectionNumber, parent: &Parent) -> u8 {
    match number {
        SectionNumber::Roman(_) => 1,
        SectionNumber::Letter(_) => 4,
        SectionNumber::Arabic(parts) => {
            let depth = parts.len() + usize::from(parent.roman_ancestor);
            u8::try_from(depth).unwrap_or(u8::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(
        numberer: &mut Numberer,
        group: &mut Group,
        kind: Numbered,
        literal: Option<&str>,
        parent: &Parent,
    ) -> (String, String) {
        let assigned = numberer.assign(group, kind, literal, None, parent);
        (
            assigned.number.shown.label(),
            assigned.number.expected.label(),
        )
    }

    #[test]
    fn mục_are_roman_and_gaps_are_kept() {
        let mut numberer = Numberer::default();
        let mut group = Group::default();
        let top = Parent::default();
        assert_eq!(
            label(&mut numberer, &mut group, Numbered::Section, None, &top),
            ("I.".into(), "I.".into())
        );
        assert_eq!(
            label(
                &mut numberer,
                &mut group,
                Numbered::Section,
                Some("II."),
                &top
            ),
            ("II.".into(), "II.".into())
        );
        assert_eq!(
            label(
                &mut numberer,
                &mut group,
                Numbered::Section,
                Some("IV."),
                &top
            ),
            ("IV.".into(), "III.".into())
        );
        assert_eq!(
            label(&mut numberer, &mut group, Numbered::Section, None, &top),
            ("V.".into(), "V.".into())
        );
    }

    #[test]
    fn khoản_are_dotted_under_arabic_parents() {
        let mut numberer = Numberer::default();
        let mut group = Group::default();
        let under = Parent {
            arabic: Some(vec![2]),
            numbered_ancestor: true,
            roman_ancestor: true,
        };
        assert_eq!(
            label(&mut numberer, &mut group, Numbered::Section, None, &under),
            ("2.1.".into(), "2.1.".into())
        );
        assert_eq!(
            label(&mut numberer, &mut group, Numbered::Item, None, &under),
            ("2.2.".into(), "2.2.".into())
        );
        assert_eq!(level_of(&SectionNumber::Arabic(vec![2, 2]), &under), 3);
    }

    #[test]
    fn điểm_follow_vietnamese_letters_and_articles_run_on() {
        let mut numberer = Numberer::default();
        let mut group = Group::default();
        let top = Parent::default();
        let letters: Vec<String> = (0..6)
            .map(|_| label(&mut numberer, &mut group, Numbered::Point, None, &top).0)
            .collect();
        assert_eq!(letters, ["a)", "b)", "c)", "d)", "đ)", "e)"]);
        let mut chapter_one = Group::default();
        let mut chapter_two = Group::default();
        label(
            &mut numberer,
            &mut chapter_one,
            Numbered::Article,
            None,
            &top,
        );
        label(
            &mut numberer,
            &mut chapter_one,
            Numbered::Article,
            None,
            &top,
        );
        assert_eq!(
            label(
                &mut numberer,
                &mut chapter_two,
                Numbered::Article,
                None,
                &top
            )
            .0,
            "3."
        );
    }

    #[test]
    fn arabic_first_section_makes_an_arabic_group() {
        let mut numberer = Numberer::default();
        let mut group = Group::default();
        let top = Parent::default();
        assert_eq!(
            label(
                &mut numberer,
                &mut group,
                Numbered::Section,
                Some("1."),
                &top
            ),
            ("1.".into(), "1.".into())
        );
        assert!(!group.is_roman());
    }
}
