//! Offset conversions between the internal unit (UTF-8 bytes), Unicode code points
//! (every export format, Python, brat) and UTF-16 code units (the DOM).
//!
//! This is the only module that converts offsets. An [`OffsetMap`] is built once per
//! document so that conversions are `O(log n)` and an export of thousands of spans stays
//! linear-ish instead of rescanning the text for each.

/// Precomputed conversion tables for one text.
#[derive(Clone, Debug)]
pub struct OffsetMap {
    /// Byte offset of every char, plus the text length at the end.
    char_bytes: Vec<usize>,
    /// UTF-16 offset of every char, plus the UTF-16 length at the end.
    char_utf16: Vec<usize>,
}

impl OffsetMap {
    pub fn new(text: &str) -> OffsetMap {
        let mut char_bytes = Vec::with_capacity(text.len() + 1);
        let mut char_utf16 = Vec::with_capacity(text.len() + 1);
        let mut u16_pos = 0;
        for (b, c) in text.char_indices() {
            char_bytes.push(b);
            char_utf16.push(u16_pos);
            u16_pos += c.len_utf16();
        }
        char_bytes.push(text.len());
        char_utf16.push(u16_pos);
        OffsetMap { char_bytes, char_utf16 }
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        self.char_bytes.len() - 1
    }

    pub fn utf16_len(&self) -> usize {
        self.char_utf16[self.char_utf16.len() - 1]
    }

    /// Code point offset of a byte offset; `None` when it is not a char boundary.
    pub fn byte_to_char(&self, byte: usize) -> Option<usize> {
        self.char_bytes.binary_search(&byte).ok()
    }

    /// Byte offset of a code point offset; `None` past the end.
    pub fn char_to_byte(&self, ch: usize) -> Option<usize> {
        self.char_bytes.get(ch).copied()
    }

    /// UTF-16 offset of a byte offset; `None` when it is not a char boundary.
    pub fn byte_to_utf16(&self, byte: usize) -> Option<usize> {
        self.byte_to_char(byte).map(|c| self.char_utf16[c])
    }

    /// Byte offset of a UTF-16 offset; `None` inside a surrogate pair or past the end.
    pub fn utf16_to_byte(&self, u: usize) -> Option<usize> {
        let c = self.char_utf16.binary_search(&u).ok()?;
        self.char_to_byte(c)
    }

    /// Byte offset of a UTF-16 offset, moved left onto a char boundary (DOM selections can
    /// land between the halves of a surrogate pair).
    pub fn utf16_to_byte_floor(&self, u: usize) -> usize {
        let c = match self.char_utf16.binary_search(&u) {
            Ok(c) => c,
            Err(c) => c.saturating_sub(1),
        };
        self.char_bytes[c.min(self.char_bytes.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let text = "a😀é\r\nب";
        let m = OffsetMap::new(text);
        // (byte, char, utf16)
        let rows = [(0, 0, 0), (1, 1, 1), (5, 2, 3), (7, 3, 4), (8, 4, 5), (9, 5, 6), (11, 6, 7)];
        for (b, c, u) in rows {
            assert_eq!(m.byte_to_char(b), Some(c), "byte {b}");
            assert_eq!(m.char_to_byte(c), Some(b), "char {c}");
            assert_eq!(m.byte_to_utf16(b), Some(u), "byte {b} → utf16");
            assert_eq!(m.utf16_to_byte(u), Some(b), "utf16 {u}");
        }
        assert_eq!(m.byte_to_char(2), None);
        assert_eq!(m.utf16_to_byte(2), None, "inside a surrogate pair");
        assert_eq!(m.utf16_to_byte_floor(2), 1);
        assert_eq!(m.char_to_byte(7), None);
        assert_eq!(m.char_len(), 6);
        assert_eq!(m.utf16_len(), 7);
    }

    proptest! {
        #[test]
        fn conversions_round_trip(text in "\\PC{0,40}|[a😀\u{301}中\u{5d0}\r\n\0 ]{0,40}") {
            let m = OffsetMap::new(&text);
            for (b, c) in text.char_indices().map(|(b, _)| b).chain([text.len()]).zip(0..) {
                prop_assert_eq!(m.byte_to_char(b), Some(c));
                prop_assert_eq!(m.char_to_byte(c), Some(b));
                let u = m.byte_to_utf16(b).unwrap();
                prop_assert_eq!(m.utf16_to_byte(u), Some(b));
                prop_assert_eq!(u, text[..b].encode_utf16().count());
            }
        }
    }
}
