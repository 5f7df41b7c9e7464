import { useRef, useState, type KeyboardEvent } from 'react';
import { t } from '@/i18n';
import { cx } from '@/lib/cx';
import { treeKey, visibleRows, type FolderNode } from '../folder-tree';

export interface FolderTreeProps {
  root: FolderNode;
  label: string;
  expanded: ReadonlySet<string>;
  onExpandedChange: (id: string, open: boolean) => void;
  selectedId: string;
  onSelect: (node: FolderNode) => void;
}

/**
 * The folders as an ARIA tree: one tab stop (the focused row), arrow keys move and open or close,
 * Enter or Space (or a click) selects. Each row names the folder and describes what it holds.
 */
export function FolderTree({ root, label, expanded, onExpandedChange, selectedId, onSelect }: FolderTreeProps) {
  const rows = visibleRows(root, expanded);
  const [focused, setFocused] = useState<string | null>(null);
  // The row that takes Tab: the one last focused while it is still shown, else the selected one, else the root.
  const tabStop = [focused, selectedId].find((id) => id && rows.some((r) => r.node.folder.id === id)) ?? root.folder.id;
  const items = useRef(new Map<string, HTMLLIElement>());

  function focus(id: string): void {
    setFocused(id);
    items.current.get(id)?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>): void {
    const result = treeKey(rows, tabStop, event.key, expanded);
    if (!result) return;
    event.preventDefault();
    if ('focus' in result) focus(result.focus);
    else if ('expand' in result) onExpandedChange(result.expand, true);
    else if ('collapse' in result) onExpandedChange(result.collapse, false);
    else {
      const row = rows.find((r) => r.node.folder.id === result.select);
      if (row) onSelect(row.node);
    }
  }

  const renderNode = (node: FolderNode, level: number, position: number, siblings: number) => {
    const { folder } = node;
    const open = expanded.has(folder.id);
    const hasChildren = node.children.length > 0;
    const selected = folder.id === selectedId;
    const labelId = `tree-label-${folder.id}`;
    const countsId = `tree-counts-${folder.id}`;
    return (
      <li
        key={folder.id}
        ref={(element) => {
          if (element) items.current.set(folder.id, element);
          else items.current.delete(folder.id);
        }}
        role="treeitem"
        className="tree__item"
        aria-level={level}
        aria-posinset={position}
        aria-setsize={siblings}
        aria-expanded={hasChildren ? open : undefined}
        aria-selected={selected}
        aria-labelledby={labelId}
        aria-describedby={countsId}
        tabIndex={folder.id === tabStop ? 0 : -1}
        onFocus={(event) => {
          // Only the row itself: focus inside a child row bubbles up through its ancestors.
          if (event.target === event.currentTarget) setFocused(folder.id);
        }}
      >
        <div
          className={cx('tree__row', selected && 'is-selected')}
          style={{ paddingInlineStart: `calc(${level - 1} * var(--tree-indent))` }}
          onClick={() => {
            focus(folder.id);
            onSelect(node);
          }}
        >
          <span
            className={cx('tree__toggle', hasChildren && 'has-children', open && 'is-open')}
            aria-hidden="true"
            onClick={(event) => {
              if (!hasChildren) return;
              // Opening or closing is not choosing the folder.
              event.stopPropagation();
              onExpandedChange(folder.id, !open);
              focus(folder.id);
            }}
          />
          <span id={labelId} className="tree__name">
            {folder.name}
          </span>
          <span className="tree__count" aria-hidden="true" title={t('folders.counts', folder.counts)}>
            {folder.counts.accounts}
          </span>
          <span id={countsId} className="sr-only">
            {t('folders.counts', folder.counts)}
          </span>
        </div>
        {hasChildren && open && (
          <ul role="group" className="tree__group">
            {node.children.map((child, index) => renderNode(child, level + 1, index + 1, node.children.length))}
          </ul>
        )}
      </li>
    );
  };

  return (
    <ul role="tree" aria-label={label} className="tree" onKeyDown={onKeyDown}>
      {renderNode(root, 1, 1, 1)}
    </ul>
  );
}
