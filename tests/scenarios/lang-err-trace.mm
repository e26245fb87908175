# exit: 2
trace mm_page_alloc,mm_page_teleport
