//! XMP metadata for PDF/A-2b: the pdfaid identification, Dublin Core title and creator, and
//! the dates, mirroring the document information dictionary entry by entry (PDF/A requires
//! the two to agree).

use time::OffsetDateTime;

/// What the metadata says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmpInfo<'a> {
    /// dc:title: the trích yếu.
    pub title: &'a str,
    /// dc:creator: the issuer.
    pub creator: &'a str,
    /// dc:description: type name and trích yếu.
    pub description: &'a str,
    /// xmp:CreatorTool.
    pub tool: &'a str,
    /// pdf:Producer.
    pub producer: &'a str,
    /// xmp:CreateDate, xmp:ModifyDate, xmp:MetadataDate.
    pub created: OffsetDateTime,
    /// dc:language.
    pub language: &'a str,
}

/// The XMP packet, UTF-8.
pub fn packet(info: &XmpInfo<'_>) -> String {
    let date = iso_date(info.created);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{description}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>{tool}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdf:Producer>{producer}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
        title = escape(info.title),
        creator = escape(info.creator),
        description = escape(info.description),
        language = escape(info.language),
        tool = escape(info.tool),
        producer = escape(info.producer),
    )
}

/// `2020-03-20T00:00:00+07:00`.
pub fn iso_date(date: OffsetDateTime) -> String {
    let (hours, minutes, _) = date.offset().as_hms();
    let sign = if hours < 0 || minutes < 0 { '-' } else { '+' };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        date.year(),
        u8::from(date.month()),
        date.day(),
        date.hour(),
        date.minute(),
        date.second(),
        hours.unsigned_abs(),
        minutes.unsigned_abs(),
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packet_names_pdfa_2b_and_escapes() {
        let created = time::macros::datetime!(2020-03-20 0:00 +7);
        let xml = packet(&XmpInfo {
            title: "Về đổi mới <thi đua> & khen thưởng",
            creator: "CÔNG ĐOÀN NGÀNH Y TẾ",
            description: "Kế hoạch",
            tool: "vanban",
            producer: "vanban",
            created,
            language: "vi",
        });
        assert!(xml.contains("<pdfaid:part>2</pdfaid:part>"));
        assert!(xml.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(xml.contains("Về đổi mới &lt;thi đua&gt; &amp; khen thưởng"));
        assert!(xml.contains("<xmp:CreateDate>2020-03-20T00:00:00+07:00</xmp:CreateDate>"));
    }
}
