//! Byte offsets to protoc's line and column numbers.

/// Maps byte offsets to 0-based `(line, column)` pairs exactly as protoc's tokenizer counts
/// them: a line ends after each `\n`; a tab advances the column to the next multiple of 8;
/// every other byte (including `\r` and each byte of a multi-byte UTF-8 sequence) counts 1.
///
/// Building the index is one pass over the source; each lookup is two binary searches.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Offset of the first byte of each line.
    line_starts: Vec<u32>,
    /// For every tab in the source: its offset and the column just after it.
    tabs: Vec<(u32, u32)>,
}

const TAB_WIDTH: u32 = 8;

impl LineIndex {
    /// Indexes `source`.
    pub fn new(source: &[u8]) -> LineIndex {
        let mut line_starts = vec![0u32];
        let mut tabs = Vec::new();
        let mut line_start = 0usize;
        // Column just after the most recent tab on the current line, and that tab's offset.
        let mut last_tab: Option<(usize, u32)> = None;
        for (i, &b) in source.iter().enumerate() {
            match b {
                b'\n' => {
                    line_start = i + 1;
                    line_starts.push(line_start as u32);
                    last_tab = None;
                }
                b'\t' => {
                    let col = match last_tab {
                        Some((offset, col_after)) => col_after + (i - offset - 1) as u32,
                        None => (i - line_start) as u32,
                    };
                    let after = col + TAB_WIDTH - col % TAB_WIDTH;
                    tabs.push((i as u32, after));
                    last_tab = Some((i, after));
                }
                _ => {}
            }
        }
        LineIndex { line_starts, tabs }
    }

    /// The 0-based line and column of `offset` (an offset past the end is treated like the
    /// end of the source).
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        // The last tab before `offset` on this line, if any.
        let tab = self.tabs.partition_point(|&(tab, _)| tab < offset);
        if tab > 0 {
            let (tab_offset, col_after) = self.tabs[tab - 1];
            if tab_offset >= line_start {
                return (line as u32, col_after + (offset - tab_offset - 1));
            }
        }
        (line as u32, offset - line_start)
    }

    /// The number of lines (one more than the number of `\n` bytes).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    fn reference(source: &[u8], offset: usize) -> (u32, u32) {
        let (mut line, mut col) = (0u32, 0u32);
        for &b in &source[..offset] {
            match b {
                b'\n' => {
                    line += 1;
                    col = 0;
                }
                b'\t' => col += 8 - col % 8,
                _ => col += 1,
            }
        }
        (line, col)
    }

    #[test]
    fn matches_protoc_counting() {
        let source = b"a\tb\t\tc\n\txy\r\n  \t z\n\n\t";
        let index = LineIndex::new(source);
        for offset in 0..=source.len() {
            assert_eq!(
                index.line_col(offset as u32),
                reference(source, offset),
                "offset {offset}"
            );
        }
        assert_eq!(index.line_count(), 5);
    }
}
