import { useCallback, useEffect, useRef, useState } from 'react';

/** How close to the bottom still counts as "at the bottom", in pixels. */
const threshold = 64;

/**
 * Keeps a scroll container pinned to its bottom while content streams in, unless the user has
 * scrolled up to read; scrolling back down (or `scrollToBottom`) pins it again.
 */
export function useStickToBottom<T extends HTMLElement>() {
  const ref = useRef<T | null>(null);
  const stuck = useRef(true);
  const [atBottom, setAtBottom] = useState(true);

  const scrollToBottom = useCallback((behavior: ScrollBehavior = 'auto') => {
    const element = ref.current;
    if (!element) return;
    stuck.current = true;
    setAtBottom(true);
    element.scrollTo({ top: element.scrollHeight, behavior });
  }, []);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const onScroll = () => {
      const bottom = element.scrollHeight - element.scrollTop - element.clientHeight <= threshold;
      stuck.current = bottom;
      setAtBottom(bottom);
    };
    const follow = () => {
      if (stuck.current) element.scrollTop = element.scrollHeight;
    };
    const observer = new MutationObserver(follow);
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    element.addEventListener('scroll', onScroll, { passive: true });
    follow();
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', onScroll);
    };
  }, []);

  return { ref, atBottom, scrollToBottom };
}
