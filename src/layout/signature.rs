//! The signature row (FORMAT.md §3.8–§3.10, §4.2): "Nơi nhận:" and its list on the left,
//! the authority, title, signature space and name on the right, with the first lines of
//! both columns on one baseline. The signature space carries the two signing slots: the
//! leader's signature image (ô 7c) and the organisation's seal (ô 8) over its left third.

use crate::compose::{Block, Content, Regions, Role};
use crate::layout::font::FaceId;
use crate::layout::header::{columns, stack_blocks};
use crate::layout::page::{Frag, FragSlot, SlotName};
use crate::layout::para::Ctx;
use crate::layout::style::{PageGeometry, mm, style};

/// Width of the leader's signature slot (ô 7c), centred in the right column: 50 mm.
pub const SIGNATURE_WIDTH: f32 = mm(50.0);
/// Side of the seal slot (ô 8): 36 mm, a common round seal (FORMAT.md §5.5 says measure the
/// real one; the signer places the image at its real size centred on this square).
pub const SEAL_SIZE: f32 = mm(36.0);

/// The signature row as one fragment, or `None` when the document has neither side.
pub fn signature_row(
    regions: &Regions<'_>,
    geometry: &PageGeometry,
    ctx: &mut Ctx<'_>,
) -> Option<Frag> {
    if regions.recipients.is_empty() && regions.signature.is_empty() {
        return None;
    }
    let (left, right) = columns(geometry);
    let recipients = stack_blocks(&regions.recipients, left, ctx);
    let mut signer = Frag::default();
    let mut pending: Vec<&Block> = Vec::new();
    for block in &regions.signature {
        if block.role == Role::SignSpace || matches!(block.content, Content::Space) {
            signer.stack(stack_blocks(&pending, right, ctx), 0.0);
            pending.clear();
            let space = signature_space(right.centre(), style(block.role).size);
            signer.stack(space, 0.0);
        } else {
            pending.push(block);
        }
    }
    signer.stack(stack_blocks(&pending, right, ctx), 0.0);
    let baseline = recipients.baseline.max(signer.baseline);
    let mut row = Frag::default();
    let recipients_top = baseline - recipients.baseline;
    let signer_top = baseline - signer.baseline;
    row.place(recipients, recipients_top);
    row.place(signer, signer_top);
    Some(row)
}

/// The empty space between the title and the name, with its two slots.
fn signature_space(centre: f32, height: f32) -> Frag {
    let signature = FragSlot {
        name: SlotName::Signature,
        x: centre - SIGNATURE_WIDTH / 2.0,
        y: 0.0,
        width: SIGNATURE_WIDTH,
        height,
        face: FaceId::Regular,
        size: 0.0,
        value: String::new(),
        line: None,
    };
    let seal = FragSlot {
        name: SlotName::Seal,
        x: signature.x + SIGNATURE_WIDTH / 3.0 - SEAL_SIZE,
        y: height / 2.0 - SEAL_SIZE / 2.0,
        width: SEAL_SIZE,
        height: SEAL_SIZE,
        ..signature.clone()
    };
    Frag {
        height,
        baseline: 0.0,
        items: Vec::new(),
        slots: vec![signature, seal],
    }
}
